# Documentation: can someone new find out what an entity is and how to
# use it? Any kind of entity, so that it shows beside production
# readiness that several scorecards judge the same entity.
package portico.scorecards.documentation

scorecard := {
	"title": "Documentation",
	"levels": ["basic", "complete"],
	"rules": {
		"has-description": {
			"title": "Has a description",
			"level": "basic",
			"weight": 2,
			"message": "add metadata.description: one sentence on what it is and who uses it",
		},
		"has-readme": {
			"title": "Repository has a README",
			"level": "basic",
			"weight": 1,
			"needs": ["files"],
			"message": "add a README.md at the root of the repository",
		},
		"has-title": {
			"title": "Has a display title",
			"level": "complete",
			"weight": 1,
			"message": "add metadata.title: the name people know it by",
		},
		"has-links": {
			"title": "Links to more",
			"level": "complete",
			"weight": 1,
			"message": "add metadata.links: dashboards, documentation, the runbook",
		},
		"has-techdocs": {
			"title": "Publishes TechDocs",
			"level": "complete",
			"weight": 2,
			"needs": ["files"],
			"message": "add the annotation backstage.io/techdocs-ref (dir:.) and a mkdocs.yml beside it",
		},
	},
}

# Every path on a line of its own, searched with one regular expression
# (see production_readiness.rego).
paths := concat("\n", object.get(input.repository, "files", []))

pass contains "has-description" if {
	d := input.entity.metadata.description
	is_string(d)
	trim_space(d) != ""
}

pass contains "has-readme" if regex.match(`(?im)^readme[^/]*$`, paths)

pass contains "has-title" if {
	t := input.entity.metadata.title
	is_string(t)
	trim_space(t) != ""
}

pass contains "has-links" if {
	links := input.entity.metadata.links
	is_array(links)
	count(links) > 0
}

pass contains "has-techdocs" if {
	ref := input.entity.metadata.annotations["backstage.io/techdocs-ref"]
	is_string(ref)
	trim_space(ref) != ""
	regex.match(`(?m)(^|/)mkdocs\.ya?ml$`, paths)
}
