package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// sarifLog is the part of SARIF 2.1.0 that GitHub code scanning requires.
type sarifLog struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name           string `json:"name"`
				InformationURI string `json:"informationUri"`
				Rules          []struct {
					ID               string `json:"id"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
					Help struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					HelpURI string `json:"helpUri"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

func decodeSARIF(t *testing.T, out string) sarifLog {
	t.Helper()
	var log sarifLog
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if log.Schema != sarifSchema || log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("schema %q, version %q, %d runs; want SARIF 2.1.0 with one run", log.Schema, log.Version, len(log.Runs))
	}
	d := log.Runs[0].Tool.Driver
	if d.Name != "portico" || d.InformationURI == "" || d.Rules == nil || log.Runs[0].Results == nil {
		t.Fatalf("driver %+v, results %v: want portico with informationUri, rules and results arrays", d, log.Runs[0].Results)
	}
	return log
}

func TestSARIFDecodesWithTheRequiredFields(t *testing.T) {
	t.Parallel()
	in := results()
	var s Summary
	for i := range in {
		s.Add(&in[i])
	}
	run := decodeSARIF(t, render(t, FormatSARIF, in).out).Runs[0]
	levels := map[string]int{}
	for _, r := range run.Results {
		levels[r.Level]++
		rules := run.Tool.Driver.Rules
		if r.RuleIndex >= len(rules) || rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %s has ruleIndex %d, which is not its rule", r.RuleID, r.RuleIndex)
		}
		if r.Message.Text == "" || len(r.Locations) != 1 || r.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" {
			t.Errorf("result %+v lacks a message or a location", r)
		}
	}
	if levels["error"] != s.Errors || levels["warning"] != s.Warnings || len(run.Results) != s.Errors+s.Warnings {
		t.Errorf("levels %v, want %d errors and %d warnings", levels, s.Errors, s.Warnings)
	}
	if got := len(run.Tool.Driver.Rules); got != 5 {
		t.Errorf("%d rules, want the 5 distinct rule ids", got)
	}
}

func TestSARIFRegions(t *testing.T) {
	t.Parallel()
	run := decodeSARIF(t, render(t, FormatSARIF, results()).out).Runs[0]
	first := run.Results[0].Locations[0].PhysicalLocation
	if first.Region == nil || first.Region.StartLine != 4 || first.Region.StartColumn != 9 {
		t.Errorf("first region = %+v, want line 4 column 9", first.Region)
	}
	unreadable := run.Results[3].Locations[0].PhysicalLocation
	if unreadable.Region != nil {
		t.Errorf("a finding with no line has region %+v, want none (SARIF lines start at 1)", unreadable.Region)
	}
}

func TestArtifactURI(t *testing.T) {
	t.Parallel()
	tests := []struct{ path, want string }{
		{"catalog-info.yaml", "catalog-info.yaml"},
		{"./a/b/catalog-info.yaml", "a/b/catalog-info.yaml"},
		{"a dir/100%.yaml", "a%20dir/100%25.yaml"},
		{"svc:1/catalog-info.yaml", "./svc:1/catalog-info.yaml"},
		{"a/#b?.yaml", "a/%23b%3F.yaml"},
		{"../up.yaml", "../up.yaml"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := artifactURI(tt.path); got != tt.want {
			t.Errorf("artifactURI(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestSARIFResultFallbacks(t *testing.T) {
	t.Parallel()
	s := newSARIF(&bytes.Buffer{}, Options{})
	r := s.result("a.yaml", finding("info", "portico/hint", 2, 0, "", ""))
	if r.Message.Text != "portico/hint" || r.Level != "note" || r.Locations[0].PhysicalLocation.Region.StartColumn != 0 {
		t.Errorf("result = %+v, want the rule as message, level note, no column", r)
	}
}

// TestSARIFRules checks each rule of the log for what GitHub code scanning
// requires of a reportingDescriptor (shortDescription, fullDescription and
// help texts) and for the link to its documentation.
func TestSARIFRules(t *testing.T) {
	t.Parallel()
	org := RuleDoc{ID: "org/owner:team,known", Summary: "Owners are known teams",
		Description: "The owner is one of `teams.rego`.", URL: "https://wiki.example.com/catalog#owners"}
	tests := []struct {
		name  string
		rules *Rules
		urls  map[string]string
	}{
		{"portico's own", nil, map[string]string{
			"backstage/metadata.name":        DocsBase + "app/descriptor/RULES.md#rule-backstage-metadata-name",
			"backstage/metadata.description": DocsBase + "app/descriptor/RULES.md#rule-backstage-metadata-description",
			"yaml/syntax":                    DocsBase + "app/descriptor/RULES.md#rule-yaml-syntax",
			"io/read":                        DocsBase + "app/descriptor/RULES.md#rule-io-read",
			"org/owner:team,known":           "",
		}},
		{"with an organisation's rule on a mirror", NewRules("https://ghe.example.com/portico/blob/main", org), map[string]string{
			"backstage/metadata.name":        "https://ghe.example.com/portico/blob/main/app/descriptor/RULES.md#rule-backstage-metadata-name",
			"backstage/metadata.description": "https://ghe.example.com/portico/blob/main/app/descriptor/RULES.md#rule-backstage-metadata-description",
			"yaml/syntax":                    "https://ghe.example.com/portico/blob/main/app/descriptor/RULES.md#rule-yaml-syntax",
			"io/read":                        "https://ghe.example.com/portico/blob/main/app/descriptor/RULES.md#rule-io-read",
			"org/owner:team,known":           org.URL,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			w, _ := New(FormatSARIF, &buf, Options{Rules: tt.rules})
			in := results()
			for i := range in {
				if err := w.File(&in[i]); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(Summary{}); err != nil {
				t.Fatal(err)
			}
			rules := decodeSARIF(t, buf.String()).Runs[0].Tool.Driver.Rules
			if len(rules) != len(tt.urls) {
				t.Fatalf("%d rules, want %d", len(rules), len(tt.urls))
			}
			for _, r := range rules {
				if r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" || r.Help.Markdown == "" {
					t.Errorf("rule %s lacks a description or help: %+v", r.ID, r)
				}
				want, ok := tt.urls[r.ID]
				if !ok || r.HelpURI != want {
					t.Errorf("rule %s has helpUri %q, want %q", r.ID, r.HelpURI, want)
				}
				if want != "" && !strings.Contains(r.Help.Markdown, "("+want+")") {
					t.Errorf("rule %s: help.markdown %q does not link to %s", r.ID, r.Help.Markdown, want)
				}
			}
		})
	}
}

func TestSARIFRuleOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		doc      RuleDoc
		short    string
		full     string
		helpURI  string
		helpEnds string
	}{
		{"documented", RuleDoc{ID: "a/b", Summary: "a/b: checks `x`", Description: "checks `x`", URL: "https://d.example/p#rule-a-b"},
			"a/b: checks `x`", "checks x", "https://d.example/p#rule-a-b", "[Documentation of `a/b`](https://d.example/p#rule-a-b)"},
		{"undocumented", RuleDoc{ID: "org/x"}, "org/x", "org/x", "", "org/x"},
		{"summary only", RuleDoc{ID: "org/y", Summary: "org/y: says y"}, "org/y: says y", "org/y: says y", "", "org/y: says y"},
		{"a base without a scheme", RuleDoc{ID: "yaml/syntax", Summary: "s", URL: "ghe.example.com/portico/app/descriptor/RULES.md#rule-yaml-syntax"},
			"s", "s", "", "s"},
	}
	for _, tt := range tests {
		r := sarifRuleOf(tt.doc)
		if r.ID != tt.doc.ID || r.ShortDescription.Text != tt.short || r.FullDescription.Text != tt.full ||
			r.HelpURI != tt.helpURI || !strings.HasSuffix(r.Help.Markdown, tt.helpEnds) || r.Help.Text == "" {
			t.Errorf("%s: sarifRuleOf = %+v", tt.name, r)
		}
	}
}
