package portico.annotations_test

import data.portico.annotations
import data.portico.fixtures

with_annotation(key, value) := json.patch(fixtures.production_service, [{
	"op": "add",
	"path": concat("/", ["/metadata/annotations", replace(key, "/", "~1")]),
	"value": value,
}])

test_project_slug_format_accepts_owner_repo if {
	every slug in ["acme/payments", "Acme-Corp/payments.api", "a_b/c-d"] {
		count(annotations.warn) == 0 with input as with_annotation("github.com/project-slug", slug)
	}
}

test_project_slug_format_denies_other_shapes if {
	every slug in ["payments", "https://github.com/acme/payments", "acme/payments/tree/main", "acme/", ""] {
		some f in annotations.warn with input as with_annotation("github.com/project-slug", slug)
		f.rule == "portico/project-slug-format"
		f.path == ["metadata", "annotations", "github.com/project-slug"]
	}
}

test_techdocs_ref_format_accepts_dir_and_url if {
	every ref in ["dir:.", "dir:./docs", "url:https://github.com/acme/docs/tree/main"] {
		count(annotations.warn) == 0 with input as with_annotation("backstage.io/techdocs-ref", ref)
	}
}

test_techdocs_ref_format_denies_other_values if {
	every ref in [".", "docs/", "https://github.com/acme/docs"] {
		some f in annotations.warn with input as with_annotation("backstage.io/techdocs-ref", ref)
		f.rule == "portico/techdocs-ref-format"
		f.path == ["metadata", "annotations", "backstage.io/techdocs-ref"]
	}
}

test_clean_entities_pass if {
	every entity in [fixtures.production_service, fixtures.api, fixtures.system] {
		count(annotations.warn) == 0 with input as entity
	}
}

test_odd_inputs_do_not_err if {
	every entity in fixtures.odd_inputs {
		count(annotations.warn) >= 0 with input as entity
	}
}
