# Ownership: every entity that can be owned is owned by a team, and every
# system sits in a domain, so that questions about a service reach people
# who are still here.
package portico.ownership

# Backstage reads a bare name in spec.owner as a Group, so only a
# reference with an explicit kind can name something else. Kinds are
# listed inline, not in a rule, so that OPA's rule index can use them.
warn contains finding if {
	input.kind in {"Component", "API", "Resource", "System", "Domain"}
	owner := input.spec.owner
	is_string(owner)
	contains(owner, ":")
	not startswith(owner, "group:")
	kind := lower(substring(owner, 0, indexof(owner, ":")))
	not kind in {"", "group"}
	finding := {
		"rule": "portico/owner-group",
		"path": "spec.owner",
		"msg": sprintf(
			"spec.owner %q is a %s reference; owners must be groups so that ownership outlives any one person: name a team, e.g. \"group:team-payments\" or \"team-payments\"",
			[owner, kind],
		),
	}
}

warn contains finding if {
	input.kind == "System"
	domain := object.get(input, ["spec", "domain"], "")
	is_string(domain)
	trim_space(domain) == ""
	finding := {
		"rule": "portico/system-domain",
		"path": "spec.domain",
		"msg": "System has no spec.domain: add the domain it belongs to (e.g. \"domain: payments\") so it appears in the domain's architecture view",
	}
}
