package cli

import "testing"

func TestReportOptionsDocsURL(t *testing.T) {
	t.Parallel()
	env := map[string]string{"PORTICO_DOCS_URL": "https://ghe.example.com/mirrors/portico/blob/v1/"}
	opts := reportOptions(IO{Getenv: func(k string) string { return env[k] }}, nil)
	d, ok := opts.Rules.Lookup("yaml/syntax")
	if want := "https://ghe.example.com/mirrors/portico/blob/v1/app/descriptor/RULES.md#rule-yaml-syntax"; !ok || d.URL != want {
		t.Errorf("yaml/syntax links to %q, want %q", d.URL, want)
	}
}
