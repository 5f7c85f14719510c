package portico.lifecycle_test

import data.portico.fixtures
import data.portico.lifecycle

with_lifecycle(entity, value) := json.patch(entity, [{"op": "add", "path": "/spec/lifecycle", "value": value}])

test_lifecycle_allowed_accepts_vocabulary if {
	every value in ["experimental", "production", "deprecated"] {
		not "portico/lifecycle-allowed" in fixtures.rules(lifecycle.warn) with input as with_lifecycle(fixtures.api, value)
	}
}

test_lifecycle_allowed_denies_other_values if {
	every entity in [with_lifecycle(fixtures.production_service, "prod"), with_lifecycle(fixtures.api, "beta")] {
		some f in lifecycle.warn with input as entity
		f.rule == "portico/lifecycle-allowed"
		f.path == "spec.lifecycle"
	}
}

test_lifecycle_allowed_ignores_other_kinds if {
	not "portico/lifecycle-allowed" in fixtures.rules(lifecycle.warn) with input as {"kind": "Resource", "spec": {"lifecycle": "beta"}}
}

test_production_system_denied_without_system if {
	every entity in [
		json.remove(fixtures.production_service, ["spec/system"]),
		json.patch(fixtures.production_service, [{"op": "replace", "path": "/spec/system", "value": " "}]),
	] {
		some f in lifecycle.warn with input as entity
		f.rule == "portico/production-system"
		f.path == "spec.system"
	}
}

test_production_source_denied_without_slug if {
	entity := json.remove(fixtures.production_service, ["metadata/annotations/github.com~1project-slug"])
	some f in lifecycle.warn with input as entity
	f.rule == "portico/production-source"
	f.path == ["metadata", "annotations", "github.com/project-slug"]
}

test_production_techdocs_denied_without_ref if {
	entity := json.remove(fixtures.production_service, ["metadata/annotations"])
	rules := fixtures.rules(lifecycle.warn) with input as entity
	rules == {"portico/production-source", "portico/production-techdocs"}
}

test_production_links_warns_for_services_without_links if {
	every entity in [
		json.remove(fixtures.production_service, ["metadata/links"]),
		json.patch(fixtures.production_service, [{"op": "replace", "path": "/metadata/links", "value": []}]),
	] {
		some f in lifecycle.warn with input as entity
		f.rule == "portico/production-links"
		f.path == "metadata.links"
	}
}

test_production_links_only_for_services if {
	entity := json.patch(json.remove(fixtures.production_service, ["metadata/links"]), [{"op": "replace", "path": "/spec/type", "value": "library"}])
	count(lifecycle.warn) == 0 with input as entity
}

test_production_rules_skip_other_lifecycles if {
	entity := {"kind": "Component", "metadata": {"name": "x"}, "spec": {"type": "service", "lifecycle": "experimental"}}
	count(lifecycle.warn) == 0 with input as entity
}

test_production_rules_skip_apis if {
	count(lifecycle.warn) == 0 with input as fixtures.api
}

test_clean_entities_pass if {
	every entity in [fixtures.production_service, fixtures.api, fixtures.system] {
		count(lifecycle.warn) == 0 with input as entity
	}
}

test_odd_inputs_do_not_err if {
	every entity in fixtures.odd_inputs {
		count(lifecycle.warn) >= 0 with input as entity
	}
}
