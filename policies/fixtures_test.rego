# Entities the unit tests start from. Each is clean for every default
# policy; a test changes one thing and checks which rule fires.
package portico.fixtures

production_service := {
	"apiVersion": "backstage.io/v1alpha1",
	"kind": "Component",
	"metadata": {
		"name": "payments",
		"description": "Takes card payments for checkout.",
		"tags": ["go", "grpc"],
		"links": [{"url": "https://runbooks.example.com/payments", "title": "Runbook"}],
		"annotations": {
			"github.com/project-slug": "acme/payments",
			"backstage.io/techdocs-ref": "dir:.",
		},
	},
	"spec": {
		"type": "service",
		"lifecycle": "production",
		"owner": "group:team-payments",
		"system": "checkout",
	},
}

api := {
	"apiVersion": "backstage.io/v1alpha1",
	"kind": "API",
	"metadata": {
		"name": "payments-api",
		"description": "Card payments.",
		"links": [{"url": "https://docs.example.com/payments-api"}],
	},
	"spec": {
		"type": "openapi",
		"lifecycle": "production",
		"owner": "team-payments",
		"definition": "openapi: 3.0.0",
	},
}

system := {
	"apiVersion": "backstage.io/v1alpha1",
	"kind": "System",
	"metadata": {"name": "checkout", "description": "Everything between cart and receipt."},
	"spec": {"owner": "team-payments", "domain": "commerce"},
}

# Inputs of the wrong shape: policies must stay undefined on them, never err.
odd_inputs := [
	{},
	{"kind": "Component"},
	{"kind": "Component", "spec": null, "metadata": null},
	{"kind": "Component", "spec": "text", "metadata": []},
	{"kind": "Component", "spec": {"owner": 42, "lifecycle": 1, "system": true}},
	{"kind": "Component", "spec": {"lifecycle": "production", "type": ["service"]}, "metadata": {"annotations": ["a", "b"], "links": "x", "tags": {"a": 1}}},
	{"kind": "System", "spec": {"owner": ["group:a"], "domain": {}}},
	{"kind": "API", "spec": {"owner": "user:"}, "metadata": {"annotations": {"github.com/project-slug": 7, "backstage.io/techdocs-ref": null}}},
	{"kind": 3, "metadata": {"description": 1}},
]

# rules(findings) is the set of rule ids among findings.
rules(findings) := {f.rule | some f in findings}
