# Lifecycle: one vocabulary for how mature a component is, and what a
# component must have before it is called production.
#
# The production rules open with the same two equality tests so that
# OPA's rule index sets them all aside at once for other components.
package portico.lifecycle

warn contains finding if {
	input.kind in {"Component", "API"}
	lifecycle := input.spec.lifecycle
	is_string(lifecycle)
	not lifecycle in {"experimental", "production", "deprecated"}
	finding := {
		"rule": "portico/lifecycle-allowed",
		"path": "spec.lifecycle",
		"msg": sprintf(
			"spec.lifecycle %q is not one this organisation uses: use experimental, production or deprecated so filters and scorecards read it the same way",
			[lifecycle],
		),
	}
}

warn contains finding if {
	input.kind == "Component"
	input.spec.lifecycle == "production"
	system := object.get(input, ["spec", "system"], "")
	is_string(system)
	trim_space(system) == ""
	finding := {
		"rule": "portico/production-system",
		"path": "spec.system",
		"msg": "production components must name the system they belong to: add spec.system (e.g. \"system: checkout\")",
	}
}

warn contains finding if {
	input.kind == "Component"
	input.spec.lifecycle == "production"
	not input.metadata.annotations["github.com/project-slug"]
	finding := {
		"rule": "portico/production-source",
		"path": ["metadata", "annotations", "github.com/project-slug"],
		"msg": "production components must say where their code lives: add the annotation github.com/project-slug: <owner>/<repo>",
	}
}

warn contains finding if {
	input.kind == "Component"
	input.spec.lifecycle == "production"
	not input.metadata.annotations["backstage.io/techdocs-ref"]
	finding := {
		"rule": "portico/production-techdocs",
		"path": ["metadata", "annotations", "backstage.io/techdocs-ref"],
		"msg": "production components must publish documentation: add the annotation backstage.io/techdocs-ref: dir:. and a docs/ folder with mkdocs.yml",
	}
}

warn contains finding if {
	input.kind == "Component"
	input.spec.lifecycle == "production"
	input.spec.type == "service"
	object.get(input, ["metadata", "links"], []) == []
	finding := {
		"rule": "portico/production-links",
		"path": "metadata.links",
		"msg": "production services should link their runbook, dashboards and on-call rota: add metadata.links entries with url and title",
	}
}
