package policy

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
)

// cleanComponent passes every default policy. Cases edit one line of it.
const cleanComponent = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments
  description: Takes card payments.
  tags: [go]
  links:
    - url: https://runbooks.example.com/payments
  annotations:
    github.com/project-slug: acme/payments
    backstage.io/techdocs-ref: dir:.
spec:
  type: service
  lifecycle: production
  owner: team-payments
  system: checkout
`

func edit(old, new string) string {
	if !strings.Contains(cleanComponent, old) {
		panic("fixture has no " + old)
	}
	return strings.Replace(cleanComponent, old, new, 1)
}

func deny(rule, path string, line, col int) descriptor.Finding {
	return descriptor.Finding{Severity: descriptor.SeverityError, Rule: rule, Path: path, Line: line, Column: col}
}

func warn(rule, path string, line, col int) descriptor.Finding {
	return descriptor.Finding{Severity: descriptor.SeverityWarning, Rule: rule, Path: path, Line: line, Column: col}
}

const (
	slugPath     = `metadata.annotations["github.com/project-slug"]`
	techdocsPath = `metadata.annotations["backstage.io/techdocs-ref"]`
)

func TestDefaultBundle(t *testing.T) {
	t.Parallel()
	e := defaultEngine(t)
	cases := []struct {
		name string
		src  string
		want []descriptor.Finding
	}{
		{"clean", cleanComponent, nil},
		{"user owner", edit("owner: team-payments", "owner: user:jane"),
			[]descriptor.Finding{warn("portico/owner-group", "spec.owner", 15, 10)}},
		{"group owner with kind", edit("owner: team-payments", "owner: Group:default/team-payments"), nil},
		{"lifecycle outside vocabulary", edit("lifecycle: production", "lifecycle: beta"),
			[]descriptor.Finding{warn("portico/lifecycle-allowed", "spec.lifecycle", 14, 14)}},
		{"production without system", edit("  system: checkout\n", ""),
			[]descriptor.Finding{warn("portico/production-system", "spec.system", 12, 1)}},
		{"production without annotations", edit("  annotations:\n    github.com/project-slug: acme/payments\n    backstage.io/techdocs-ref: dir:.\n", ""),
			[]descriptor.Finding{
				warn("portico/production-source", slugPath, 3, 1),
				warn("portico/production-techdocs", techdocsPath, 3, 1),
			}},
		{"experimental without annotations", edit("lifecycle: production", "lifecycle: experimental\n  x: |\n    github.com/project-slug"), nil},
		{"slug with host", edit("acme/payments", "https://github.com/acme/payments"),
			[]descriptor.Finding{warn("portico/project-slug-format", slugPath, 10, 30)}},
		{"techdocs ref without scheme", edit("dir:.", "docs/"),
			[]descriptor.Finding{warn("portico/techdocs-ref-format", techdocsPath, 11, 32)}},
		{"no description, tags or links", edit("  description: Takes card payments.\n  tags: [go]\n  links:\n    - url: https://runbooks.example.com/payments\n", ""),
			[]descriptor.Finding{
				warn("portico/component-tags", "metadata.tags", 3, 1),
				warn("portico/description", "metadata.description", 3, 1),
				warn("portico/production-links", "metadata.links", 3, 1),
			}},
		{"empty tags", edit("tags: [go]", "tags: []"),
			[]descriptor.Finding{warn("portico/component-tags", "metadata.tags", 6, 9)}},
		{"api without links", "kind: API\nmetadata:\n  name: a\n  description: A.\nspec:\n  owner: team-a\n  lifecycle: production\n",
			[]descriptor.Finding{warn("portico/api-docs-link", "metadata.links", 2, 1)}},
		{"system without domain", "kind: System\nmetadata:\n  name: s\n  description: S.\nspec:\n  owner: user:jane\n",
			[]descriptor.Finding{
				warn("portico/system-domain", "spec.domain", 5, 1),
				warn("portico/owner-group", "spec.owner", 6, 10),
			}},
		{"user needs nothing", "kind: User\nmetadata:\n  name: jane\nspec:\n  memberOf: [team-a]\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := e.Eval(context.Background(), parseOne(t, c.src))
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				if got[i].Message == "" {
					t.Errorf("finding %+v has no message", got[i])
				}
				got[i].Message = ""
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("findings\n got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

// Policies meet documents that Backstage's rules already refuse: wrong
// types and missing sections must leave them quiet, never failing Eval.
func TestDefaultBundleOddDocuments(t *testing.T) {
	t.Parallel()
	e := defaultEngine(t)
	docs := []string{
		"kind: Component\n",
		"kind: Component\nspec: 42\nmetadata: [a, b]\n",
		"kind: Component\nspec:\n  owner: 7\n  lifecycle: [production]\n  system: {a: 1}\nmetadata:\n  description: 3\n  tags: {a: b}\n  links: x\n  annotations: [a]\n",
		"kind: Component\nspec:\n  lifecycle: production\n  type: service\n  system: 1\nmetadata:\n  annotations:\n    github.com/project-slug: 1\n    backstage.io/techdocs-ref: null\n",
		"kind: [Component]\nspec: {owner: user:x}\n",
		"kind: System\nspec: {owner: [user:x], domain: 5}\n",
		"apiVersion: 1\n",
	}
	for _, src := range docs {
		if _, err := e.Eval(context.Background(), parseOne(t, src)); err != nil {
			t.Errorf("Eval(%q): %v", src, err)
		}
	}
}
