package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// acmePolicy reports a Component without a title and describes its rule
// in a METADATA annotation, as an organisation documents its own rules.
const acmePolicy = `package portico.acme

# METADATA
# title: Components have a title
# description: Add ` + "`metadata.title`" + `, the name people know the component by.
# related_resources:
# - ref: https://wiki.example.com/catalog#component-title
# custom:
#   rule: acme/component-title
warn contains {"rule": "acme/component-title", "msg": "add metadata.title", "path": "metadata"} if {
	input.kind == "Component"
	not input.metadata.title
}
`

const (
	nameDocs  = "https://github.com/portico-dev/portico/blob/main/app/descriptor/RULES.md#rule-backstage-metadata-name"
	titleDocs = "https://wiki.example.com/catalog#component-title"
)

func rulesWorkspace(t *testing.T) string {
	t.Helper()
	ws := t.TempDir()
	copyTree(t, "../../testdata/examples/web", filepath.Join(ws, "web"))
	must(t, os.MkdirAll(filepath.Join(ws, "policy"), 0o755))
	must(t, os.WriteFile(filepath.Join(ws, "policy", "acme.rego"), []byte(acmePolicy), 0o644))
	return ws
}

// TestActionSummaryLinksRules checks that the job summary links each rule
// to its anchor: portico's own to its documentation, an organisation's to
// the page its annotation names.
func TestActionSummaryLinksRules(t *testing.T) {
	ws := rulesWorkspace(t)
	_, summary, _ := runAction(t, ws, map[string]string{"paths": "web", "policy": "policy"})
	for _, link := range []string{
		"[backstage/metadata.name](" + nameDocs + ")",
		"[acme/component-title](" + titleDocs + ")",
	} {
		if !strings.Contains(summary, link) {
			t.Errorf("job summary lacks the link %s:\n%s", link, summary)
		}
	}
}

// sarifRules is what GitHub code scanning requires of each rule of a
// SARIF log, and the link it shows.
type sarifRules struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID               string                `json:"id"`
					ShortDescription struct{ Text string } `json:"shortDescription"`
					FullDescription  struct{ Text string } `json:"fullDescription"`
					Help             struct{ Text string } `json:"help"`
					HelpURI          string                `json:"helpUri"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
	} `json:"runs"`
}

// TestActionSARIFDescribesRules checks that every rule of the SARIF
// report has the descriptions GitHub requires, and that the rules link to
// their documentation.
func TestActionSARIFDescribesRules(t *testing.T) {
	ws := rulesWorkspace(t)
	outputs, _, _ := runAction(t, ws, map[string]string{"paths": "web", "policy": "policy", "format": "sarif"})
	data, err := os.ReadFile(outputs["report-file"])
	must(t, err)
	var log sarifRules
	if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("report is not a SARIF log with one run (%v):\n%s", err, data)
	}
	want := map[string]string{"backstage/metadata.name": nameDocs, "acme/component-title": titleDocs}
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		if r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" {
			t.Errorf("rule %s lacks a description or help text", r.ID)
		}
		if !strings.HasPrefix(r.HelpURI, "https://") {
			t.Errorf("rule %s has helpUri %q, want its documentation", r.ID, r.HelpURI)
		}
		if u, ok := want[r.ID]; ok {
			if r.HelpURI != u {
				t.Errorf("rule %s has helpUri %q, want %q", r.ID, r.HelpURI, u)
			}
			delete(want, r.ID)
		}
		if r.ID == "acme/component-title" && r.ShortDescription.Text != "acme/component-title: Components have a title" {
			t.Errorf("acme/component-title is described as %q, want its annotation's title", r.ShortDescription.Text)
		}
	}
	if len(want) > 0 {
		t.Errorf("rules missing from the log: %v", want)
	}
}
