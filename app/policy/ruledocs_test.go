package policy

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

func TestRuleDocs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files []string
		want  []RuleDoc
	}{
		{"package annotation describes the package's id", []string{"naming.rego", `# METADATA
# title: Types are lower case
# description: Backstage compares types as written; "Service" and "service" are two types.
# related_resources:
# - ref: https://wiki.example.com/catalog#naming
package portico.naming

deny contains "spec.type must be lower case" if {
	input.spec.type != lower(input.spec.type)
}
`}, []RuleDoc{{ID: "naming", Title: "Types are lower case",
			Description: `Backstage compares types as written; "Service" and "service" are two types.`,
			URL:         "https://wiki.example.com/catalog#naming"}}},

		{"rule annotations name their ids", []string{"acme.rego", `package portico.acme

# METADATA
# title: Components have a title
# custom:
#   rule: acme/component-title
warn contains {"rule": "acme/component-title", "msg": "add a title"} if {
	input.kind == "Component"
	not input.metadata.title
}

# METADATA
# description: Every entity has a description.
# related_resources:
# - ref: https://wiki.example.com/catalog#description
# custom:
#   rule: acme/description
warn contains {"rule": "acme/description", "msg": "add a description"} if {
	not input.metadata.description
}
`}, []RuleDoc{
			{ID: "acme/component-title", Title: "Components have a title"},
			{ID: "acme/description", Description: "Every entity has a description.", URL: "https://wiki.example.com/catalog#description"},
		}},

		{"an annotation on the set without custom.rule describes the package's id", []string{"a.rego", `package portico.team.owners

# METADATA
# title: Owners are teams
deny contains "owner must be a team" if { input.spec.owner == "nobody" }
`}, []RuleDoc{{ID: "team.owners", Title: "Owners are teams"}}},

		{"helper rules and libraries say nothing", []string{"a.rego", `package portico.a

# METADATA
# title: a helper
production if { input.spec.lifecycle == "production" }

deny contains "x" if { production }
`, "lib.rego", `# METADATA
# title: a library
package lib

ok := true
`}, nil},

		{"the first file by name wins each field", []string{"b.rego", `package portico.b

# METADATA
# title: from b
# description: b's description
# custom:
#   rule: shared/id
deny contains {"rule": "shared/id", "msg": "b"} if { input.kind == "B" }
`, "a.rego", `package portico.a

# METADATA
# title: from a
# custom:
#   rule: shared/id
deny contains {"rule": "shared/id", "msg": "a"} if { input.kind == "A" }
`}, []RuleDoc{{ID: "shared/id", Title: "from a", Description: "b's description"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, err := New(context.Background(), bundle(tt.files...))
			if err != nil {
				t.Fatal(err)
			}
			if got := e.RuleDocs(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("RuleDocs() = %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestRuleDocsMalformedAnnotation checks that a METADATA block that is not
// valid YAML is refused at load with the file and line of the bad YAML, rather than
// silently describing nothing.
func TestRuleDocsMalformedAnnotation(t *testing.T) {
	t.Parallel()
	_, err := New(context.Background(), bundle("bad.rego", `package portico.bad

# METADATA
# title: [unclosed
deny contains "x" if { input.kind == "X" }
`))
	if err == nil || !strings.Contains(err.Error(), "bad.rego:4") {
		t.Errorf("New = %v, want an error at bad.rego:4", err)
	}
}

func TestDefaultBundleHasNoAnnotations(t *testing.T) {
	t.Parallel()
	// The default rules are documented in policies/README.md, which reports
	// read; an annotation would override that text.
	if docs := defaultEngine(t).RuleDocs(); len(docs) != 0 {
		t.Errorf("default bundle RuleDocs() = %+v, want none", docs)
	}
}
