package portico.scorecards.production_readiness_test

import data.portico.scorecards.production_readiness as pr

# gold_service passes every rule a checkout can judge.
gold_service := {
	"kind": "Component",
	"metadata": {
		"name": "payments",
		"description": "Takes card payments.",
		"annotations": {"backstage.io/techdocs-ref": "dir:."},
		"links": [{"title": "Runbook", "url": "https://wiki.example.com/payments"}],
	},
	"spec": {"type": "service", "lifecycle": "production", "owner": "team-payments", "system": "checkout"},
}

gold_repo := {
	"files": [
		".github/CODEOWNERS", ".github/workflows/ci.yaml", "README.md", "SECURITY.md",
		"mkdocs.yml", "internal/pay_test.go",
	],
	"protected": true,
}

all_rules := {id | some id, _ in pr.scorecard.rules}

test_gold_passes_everything if {
	pr.pass == all_rules with input as {"entity": gold_service, "repository": gold_repo}
}

test_empty_entity_passes_nothing if {
	count(pr.pass) == 0 with input as {"entity": {"kind": "Component"}, "repository": {"files": []}}
}

test_owner_kinds if {
	every owner in ["team-a", "group:team-a", "Group:default/team-a", "group:ops/team-a"] {
		"owner-is-group" in pr.pass with input as {"entity": {"spec": {"owner": owner}}, "repository": {}}
	}
	every owner in ["user:jane", "component:x", "", 7, "group:"] {
		not "owner-is-group" in pr.pass with input as {"entity": {"spec": {"owner": owner}}, "repository": {}}
	}
}

test_bare_owner_with_a_catalog if {
	catalog := {"groups": {"group:default/team-a", "group:ops/team-b"}}
	"owner-is-group" in pr.pass with input as {"entity": {"spec": {"owner": "Team-A"}}, "catalog": catalog}
	"owner-is-group" in pr.pass with input as {"entity": {"metadata": {"namespace": "ops"}, "spec": {"owner": "team-b"}}, "catalog": catalog}
	"owner-is-group" in pr.pass with input as {"entity": {"spec": {"owner": "ops/team-b"}}, "catalog": catalog}
	not "owner-is-group" in pr.pass with input as {"entity": {"spec": {"owner": "jane"}}, "catalog": catalog}
}

test_lifecycle_vocabulary if {
	"has-lifecycle" in pr.pass with input as {"entity": {"spec": {"lifecycle": "experimental"}}}
	not "has-lifecycle" in pr.pass with input as {"entity": {"spec": {"lifecycle": "beta"}}}
}

test_readme_at_the_root_only if {
	"has-readme" in pr.pass with input as {"repository": {"files": ["readme.rst"]}}
	not "has-readme" in pr.pass with input as {"repository": {"files": ["docs/README.md"]}}
}

test_codeowners_in_three_places if {
	every f in ["CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS"] {
		"has-codeowners" in pr.pass with input as {"repository": {"files": [f]}}
	}
	not "has-codeowners" in pr.pass with input as {"repository": {"files": ["src/CODEOWNERS"]}}
}

test_ci_needs_a_workflow_file if {
	"has-ci" in pr.pass with input as {"repository": {"files": [".github/workflows/build.yml"]}}
	not "has-ci" in pr.pass with input as {"repository": {"files": [".github/workflows/README.md", ".gitlab-ci.yml"]}}
}

test_techdocs_needs_annotation_and_mkdocs if {
	annotated := {"metadata": {"annotations": {"backstage.io/techdocs-ref": "dir:."}}}
	"has-techdocs" in pr.pass with input as {"entity": annotated, "repository": {"files": ["svc/mkdocs.yaml"]}}
	not "has-techdocs" in pr.pass with input as {"entity": annotated, "repository": {"files": ["docs/index.md"]}}
	not "has-techdocs" in pr.pass with input as {"entity": {}, "repository": {"files": ["mkdocs.yml"]}}
}

test_security_policy_places if {
	"has-security-policy" in pr.pass with input as {"repository": {"files": [".github/SECURITY.md"]}}
	not "has-security-policy" in pr.pass with input as {"repository": {"files": ["docs/SECURITY.md"]}}
}

test_runbook_by_title_or_url if {
	"has-runbook-link" in pr.pass with input as {"entity": {"metadata": {"links": [{"url": "https://x/RUNBOOKS/a"}]}}}
	not "has-runbook-link" in pr.pass with input as {"entity": {"metadata": {"links": [{"url": "https://x/dash", "title": "Dashboard"}]}}}
	not "has-runbook-link" in pr.pass with input as {"entity": {"metadata": {"links": "runbook"}}}
}

test_tests_in_any_name if {
	every f in ["src/Test/a.java", "spec/a_spec.rb", "pkg/x_test.go", "web/app.spec.ts"] {
		"has-tests" in pr.pass with input as {"repository": {"files": [f]}}
	}
	not "has-tests" in pr.pass with input as {"repository": {"files": ["src/main.go", "README.md"]}}
}

test_protection_only_when_true if {
	"default-branch-protected" in pr.pass with input as {"repository": {"protected": true}}
	not "default-branch-protected" in pr.pass with input as {"repository": {"protected": false}}
	not "default-branch-protected" in pr.pass with input as {"repository": {}}
}

test_weights_total_sixteen if {
	sum([r.weight | some r in pr.scorecard.rules]) == 16
}
