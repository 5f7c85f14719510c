package checks

import (
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/policy"
	"github.com/portico-dev/portico/app/report"
)

// TestAnnotationLinksItsRule checks that an annotation links to its
// rule's documentation: portico's own rules to their anchor, an
// organisation's to the page its policy annotation names.
func TestAnnotationLinksItsRule(t *testing.T) {
	t.Parallel()
	rules := report.PolicyRules("", []policy.RuleDoc{{ID: "acme/title", Title: "Components have a title", URL: "https://wiki.example.com/catalog#title"}})
	tests := []struct {
		rules *report.Rules
		rule  string
		want  string
	}{
		{nil, "backstage/metadata.name", "Rule documentation: " + report.DocsBase + "app/descriptor/RULES.md#rule-backstage-metadata-name"},
		{rules, "portico/owner-group", "Rule documentation: " + report.DocsBase + "policies/README.md#rule-portico-owner-group"},
		{rules, "acme/title", "Rule documentation: https://wiki.example.com/catalog#title"},
		{rules, "acme/other", ""},
	}
	for _, tt := range tests {
		x := descriptor.Finding{Severity: descriptor.SeverityWarning, Rule: tt.rule, Message: "m", Line: 3, Column: 5}
		if got := annotation(tt.rules, "catalog-info.yaml", x).RawDetails; got != tt.want {
			t.Errorf("%s: raw details %q, want %q", tt.rule, got, tt.want)
		}
	}
}
