package portico.documentation_test

import data.portico.documentation
import data.portico.fixtures

test_description_warns_when_missing_or_blank if {
	every entity in [
		json.remove(fixtures.system, ["metadata/description"]),
		json.patch(fixtures.production_service, [{"op": "replace", "path": "/metadata/description", "value": "  "}]),
		{"kind": "Group", "metadata": {"name": "team-a"}},
		{"kind": "Domain"},
	] {
		some f in documentation.warn with input as entity
		f.rule == "portico/description"
		f.path == "metadata.description"
	}
}

test_description_not_asked_of_users_and_locations if {
	every kind in ["User", "Location"] {
		count(documentation.warn) == 0 with input as {"kind": kind, "metadata": {"name": "x"}}
	}
}

test_component_tags_warns_without_tags if {
	every entity in [
		json.remove(fixtures.production_service, ["metadata/tags"]),
		json.patch(fixtures.production_service, [{"op": "replace", "path": "/metadata/tags", "value": []}]),
	] {
		fixtures.rules(documentation.warn) == {"portico/component-tags"} with input as entity
	}
}

test_component_tags_only_for_components if {
	not "portico/component-tags" in fixtures.rules(documentation.warn) with input as fixtures.api
}

test_api_docs_link_warns_without_links if {
	entity := json.remove(fixtures.api, ["metadata/links"])
	some f in documentation.warn with input as entity
	f.rule == "portico/api-docs-link"
	f.path == "metadata.links"
}

test_clean_entities_pass if {
	every entity in [fixtures.production_service, fixtures.api, fixtures.system] {
		count(documentation.warn) == 0 with input as entity
	}
}

test_odd_inputs_do_not_err if {
	every entity in fixtures.odd_inputs {
		count(documentation.warn) >= 0 with input as entity
	}
}
