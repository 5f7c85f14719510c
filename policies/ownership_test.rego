package portico.ownership_test

import data.portico.fixtures
import data.portico.ownership

test_owner_group_accepts_group_references if {
	every owner in ["team-payments", "group:team-payments", "Group:default/team-payments", "default/team-payments"] {
		entity := json.patch(fixtures.production_service, [{"op": "replace", "path": "/spec/owner", "value": owner}])
		not "portico/owner-group" in fixtures.rules(ownership.warn) with input as entity
	}
}

test_owner_group_denies_user_owner if {
	entity := json.patch(fixtures.production_service, [{"op": "replace", "path": "/spec/owner", "value": "user:jane"}])
	some f in ownership.warn with input as entity
	f.rule == "portico/owner-group"
	f.path == "spec.owner"
	contains(f.msg, "\"user:jane\" is a user reference")
}

test_owner_group_applies_to_every_owned_kind if {
	every kind in ["Component", "API", "Resource", "System", "Domain"] {
		entity := {"kind": kind, "spec": {"owner": "User:default/jane"}}
		"portico/owner-group" in fixtures.rules(ownership.warn) with input as entity
	}
}

test_owner_group_ignores_other_kinds if {
	entity := {"kind": "Group", "spec": {"owner": "user:jane"}}
	count(ownership.warn) == 0 with input as entity
}

test_system_domain_warns_without_domain if {
	entity := json.remove(fixtures.system, ["spec/domain"])
	some f in ownership.warn with input as entity
	f.rule == "portico/system-domain"
	f.path == "spec.domain"
}

test_system_domain_quiet_with_domain if {
	count(ownership.warn) == 0 with input as fixtures.system
}

test_clean_entities_pass if {
	every entity in [fixtures.production_service, fixtures.api, fixtures.system] {
		count(ownership.warn) == 0 with input as entity
	}
}

test_odd_inputs_do_not_err if {
	every entity in fixtures.odd_inputs {
		count(ownership.warn) >= 0 with input as entity
	}
}
