package portico.scorecards.documentation_test

import data.portico.scorecards.documentation as doc

documented := {
	"kind": "API",
	"metadata": {
		"name": "payments-api",
		"title": "Payments API",
		"description": "Charges and refunds.",
		"links": [{"url": "https://docs.example.com/payments"}],
		"annotations": {"backstage.io/techdocs-ref": "dir:."},
	},
}

test_documented_passes_everything if {
	doc.pass == {id | some id, _ in doc.scorecard.rules} with input as {
		"entity": documented,
		"repository": {"files": ["README.md", "docs/mkdocs.yml"]},
	}
}

test_bare_entity_passes_nothing if {
	count(doc.pass) == 0 with input as {"entity": {"kind": "Group", "metadata": {"name": "a", "links": []}}, "repository": {"files": []}}
}

test_blank_description_does_not_count if {
	not "has-description" in doc.pass with input as {"entity": {"metadata": {"description": "  "}}}
}

test_techdocs_needs_both if {
	not "has-techdocs" in doc.pass with input as {"entity": documented, "repository": {"files": ["README.md"]}}
	not "has-techdocs" in doc.pass with input as {"entity": {}, "repository": {"files": ["mkdocs.yml"]}}
}
