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

files := object.get(input.repository, "files", [])

pass contains "has-description" if non_empty(object.get(input.entity, ["metadata", "description"], null))

pass contains "has-readme" if {
	some f in files
	not contains(f, "/")
	startswith(upper(f), "README")
}

pass contains "has-title" if non_empty(object.get(input.entity, ["metadata", "title"], null))

pass contains "has-links" if {
	links := object.get(input.entity, ["metadata", "links"], [])
	is_array(links)
	count(links) > 0
}

pass contains "has-techdocs" if {
	non_empty(object.get(input.entity, ["metadata", "annotations", "backstage.io/techdocs-ref"], null))
	some f in files
	mkdocs_file(f)
}

mkdocs_file(f) if f in {"mkdocs.yml", "mkdocs.yaml"}

mkdocs_file(f) if {
	some name in ["/mkdocs.yml", "/mkdocs.yaml"]
	endswith(f, name)
}

non_empty(s) if {
	is_string(s)
	trim_space(s) != ""
}
