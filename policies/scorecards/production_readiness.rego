# Production readiness: the golden path of a service, bronze to gold.
# The rules and weights are fixed (issue 10): users and tests rely on them.
package portico.scorecards.production_readiness

scorecard := {
	"title": "Production readiness",
	"levels": ["bronze", "silver", "gold"],
	"applies_to": {"kind": ["Component"], "type": ["service"]},
	"rules": {
		"owner-is-group": {
			"title": "Owned by a group",
			"level": "bronze",
			"weight": 2,
			"message": "set spec.owner to a group (group:<name>, or the bare name of a Group in the catalog): teams outlast the people in them",
		},
		"has-description": {
			"title": "Has a description",
			"level": "bronze",
			"weight": 1,
			"message": "add metadata.description: one sentence on what the service does",
		},
		"has-lifecycle": {
			"title": "Has a known lifecycle",
			"level": "bronze",
			"weight": 1,
			"message": "set spec.lifecycle to experimental, production or deprecated",
		},
		"has-readme": {
			"title": "Has a README",
			"level": "bronze",
			"weight": 1,
			"needs": ["files"],
			"message": "add a README.md at the root of the repository",
		},
		"has-codeowners": {
			"title": "Has CODEOWNERS",
			"level": "silver",
			"weight": 2,
			"needs": ["files"],
			"message": "add a CODEOWNERS file at the root, in .github/ or in docs/, so that changes get reviewed by their owners",
		},
		"has-ci": {
			"title": "Has CI",
			"level": "silver",
			"weight": 2,
			"needs": ["files"],
			"message": "add a GitHub Actions workflow: a .yml or .yaml file under .github/workflows/",
		},
		"has-system": {
			"title": "Belongs to a system",
			"level": "silver",
			"weight": 1,
			"message": "set spec.system to the system the service is part of",
		},
		"has-techdocs": {
			"title": "Has TechDocs",
			"level": "silver",
			"weight": 1,
			"needs": ["files"],
			"message": "add the annotation backstage.io/techdocs-ref (dir:.) and a mkdocs.yml to the repository",
		},
		"has-security-policy": {
			"title": "Has a security policy",
			"level": "gold",
			"weight": 1,
			"needs": ["files"],
			"message": "add SECURITY.md at the root or in .github/: how to report a vulnerability",
		},
		"has-runbook-link": {
			"title": "Links its runbook",
			"level": "gold",
			"weight": 1,
			"message": "add a metadata.links entry for the runbook (its title or URL containing \"runbook\")",
		},
		"has-tests": {
			"title": "Has tests",
			"level": "gold",
			"weight": 2,
			"needs": ["files"],
			"message": "add tests: a file or directory whose name contains test or spec",
		},
		"default-branch-protected": {
			"title": "Default branch protected",
			"level": "gold",
			"weight": 1,
			"needs": ["protected"],
			"message": "protect the default branch on GitHub (Settings > Branches): require reviews before merging",
		},
	},
}

files := object.get(input.repository, "files", [])

# Every path on a line of its own: one regular expression searches the
# whole tree in a single builtin call, where a Rego loop over thousands
# of paths would cost a rule evaluation per path.
paths := concat("\n", files)

known_lifecycles := {"experimental", "production", "deprecated"}

# owner-is-group

pass contains "owner-is-group" if group_owner(input.entity.spec.owner)

# group:x (any namespace) is a group whatever the catalog holds.
group_owner(owner) if {
	is_string(owner)
	[kind, name] := split(owner, ":")
	lower(kind) == "group"
	name != ""
}

# A bare name defaults to kind Group: with no catalog it counts...
group_owner(owner) if {
	bare_name(owner)
	not input.catalog
}

# ...with one, only when the catalog knows that group.
group_owner(owner) if {
	bare_name(owner)
	lower(sprintf("group:%s", [qualified(owner)])) in input.catalog.groups
}

bare_name(owner) if {
	is_string(owner)
	owner != ""
	not contains(owner, ":")
}

qualified(name) := name if contains(name, "/")

qualified(name) := sprintf("%s/%s", [namespace, name]) if not contains(name, "/")

default namespace := "default"

namespace := ns if {
	ns := input.entity.metadata.namespace
	is_string(ns)
	ns != ""
}

# bronze

pass contains "has-description" if {
	d := input.entity.metadata.description
	is_string(d)
	trim_space(d) != ""
}

pass contains "has-lifecycle" if input.entity.spec.lifecycle in known_lifecycles

pass contains "has-readme" if regex.match(`(?im)^readme[^/]*$`, paths)

# silver

pass contains "has-codeowners" if {
	some f in ["CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS"]
	f in files
}

pass contains "has-ci" if regex.match(`(?m)^\.github/workflows/.*\.ya?ml$`, paths)

pass contains "has-system" if {
	s := input.entity.spec.system
	is_string(s)
	trim_space(s) != ""
}

pass contains "has-techdocs" if {
	ref := input.entity.metadata.annotations["backstage.io/techdocs-ref"]
	is_string(ref)
	trim_space(ref) != ""
	regex.match(`(?m)(^|/)mkdocs\.ya?ml$`, paths)
}

# gold

pass contains "has-security-policy" if {
	some f in ["SECURITY.md", ".github/SECURITY.md"]
	f in files
}

pass contains "has-runbook-link" if {
	some link in input.entity.metadata.links
	some field in ["title", "url"]
	text := link[field]
	is_string(text)
	contains(lower(text), "runbook")
}

# "test" or "spec" in a directory or file name: neither word holds a
# slash or a new line, so the whole tree is searched at once.
pass contains "has-tests" if regex.match(`(?i)test|spec`, paths)

pass contains "default-branch-protected" if input.repository.protected == true

