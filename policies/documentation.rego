# Documentation: what people see first when they find an entity in the
# portal.
package portico.documentation

# Users and Locations are described by who or what they are. Kinds are
# listed inline, not in a rule, so that OPA's rule index can use them.
warn contains finding if {
	input.kind in {"Component", "API", "Resource", "System", "Domain", "Group", "Template"}
	description := object.get(input, ["metadata", "description"], "")
	is_string(description)
	trim_space(description) == ""
	finding := {
		"rule": "portico/description",
		"path": "metadata.description",
		"msg": "add metadata.description: one sentence on what this is for, shown in search results and on the entity page",
	}
}

warn contains finding if {
	input.kind == "Component"
	object.get(input, ["metadata", "tags"], []) == []
	finding := {
		"rule": "portico/component-tags",
		"path": "metadata.tags",
		"msg": "add metadata.tags (e.g. the language and framework: [go, grpc]) so the component can be found by technology",
	}
}

warn contains finding if {
	input.kind == "API"
	object.get(input, ["metadata", "links"], []) == []
	finding := {
		"rule": "portico/api-docs-link",
		"path": "metadata.links",
		"msg": "add metadata.links with a link to the API's reference documentation or to its definition in the repository, so consumers find the source of truth",
	}
}
