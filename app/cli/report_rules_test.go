package cli

import (
	"reflect"
	"testing"

	"github.com/portico-dev/portico/app/policy"
	"github.com/portico-dev/portico/app/report"
)

func TestReportRuleDocs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   policy.RuleDoc
		want report.RuleDoc
	}{
		{"title", policy.RuleDoc{ID: "acme/t", Title: "Components have a title", Description: "Add `metadata.title`.", URL: "https://w.example/t"},
			report.RuleDoc{ID: "acme/t", Summary: "acme/t: Components have a title", Description: "Add `metadata.title`.", URL: "https://w.example/t"}},
		{"description's first line without a title", policy.RuleDoc{ID: "naming", Description: "Types are lower case.\n\nBackstage compares them as written."},
			report.RuleDoc{ID: "naming", Summary: "naming: Types are lower case.", Description: "Types are lower case.\n\nBackstage compares them as written."}},
		{"a link only", policy.RuleDoc{ID: "acme/l", URL: "https://w.example/l"},
			report.RuleDoc{ID: "acme/l", URL: "https://w.example/l"}},
	}
	for _, tt := range tests {
		got := reportRuleDocs([]policy.RuleDoc{tt.in})
		if len(got) != 1 || !reflect.DeepEqual(got[0], tt.want) {
			t.Errorf("%s: reportRuleDocs = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestReportOptionsDocsURL(t *testing.T) {
	t.Parallel()
	env := map[string]string{"PORTICO_DOCS_URL": "https://ghe.example.com/mirrors/portico/blob/v1/"}
	opts := reportOptions(IO{Getenv: func(k string) string { return env[k] }}, nil)
	d, ok := opts.Rules.Lookup("yaml/syntax")
	if want := "https://ghe.example.com/mirrors/portico/blob/v1/app/descriptor/RULES.md#rule-yaml-syntax"; !ok || d.URL != want {
		t.Errorf("yaml/syntax links to %q, want %q", d.URL, want)
	}
}
