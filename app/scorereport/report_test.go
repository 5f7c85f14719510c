package scorereport

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/portico-dev/portico/app/scorecard"
)

var update = flag.Bool("update", false, "rewrite golden files")

func rule(id, level string, weight int, status scorecard.Status) scorecard.RuleResult {
	msg := ""
	switch status {
	case scorecard.Failed:
		msg = "fix " + id + " | now"
	case scorecard.Unknown:
		msg = "not judged: the repository's branch protection could not be read here"
	}
	return scorecard.RuleResult{ID: id, Title: "Rule " + id, Level: level, Weight: weight, Status: status, Message: msg}
}

// sample has a silver service with gold to go, a service at none, and
// one whose documentation scorecard failed to evaluate.
func sample() []Entity {
	p, f, u := scorecard.Passed, scorecard.Failed, scorecard.Unknown
	metals, docLevels := []string{"bronze", "silver", "gold"}, []string{"basic", "complete"}
	silver := scorecard.Result{ID: "production-readiness", Title: "Production readiness", Levels: metals, Level: "silver", NextLevel: "gold", Points: 11, MaxPoints: 16,
		Rules: []scorecard.RuleResult{
			rule("owner-is-group", "bronze", 2, p), rule("has-readme", "bronze", 3, p),
			rule("has-ci", "silver", 6, p),
			rule("has-tests", "gold", 2, f), rule("has-security-policy", "gold", 2, f), rule("default-branch-protected", "gold", 1, u),
		}}
	none := scorecard.Result{ID: "production-readiness", Title: "Production readiness", Levels: metals, Level: scorecard.None, NextLevel: "bronze", Points: 6, MaxPoints: 16,
		Rules: []scorecard.RuleResult{
			rule("owner-is-group", "bronze", 2, f), rule("has-readme", "bronze", 3, p),
			rule("has-ci", "silver", 6, f),
			rule("has-tests", "gold", 2, f), rule("has-security-policy", "gold", 2, f), rule("default-branch-protected", "gold", 1, u),
		}}
	docs := scorecard.Result{ID: "documentation", Title: "Documentation", Levels: docLevels, Level: "complete", Points: 3, MaxPoints: 3,
		Rules: []scorecard.RuleResult{rule("has-description", "basic", 2, p), rule("has-title", "complete", 1, p)}}
	broken := scorecard.Result{ID: "documentation", Title: "Documentation", Levels: docLevels, Package: "data.portico.scorecards.documentation",
		Err: errors.New("scorecard documentation (data.portico.scorecards.documentation): evaluate: documentation.rego:9: conflicting rules")}
	return []Entity{
		{Ref: "component:default/payments", Path: "payments/catalog-info.yaml", Line: 1, Scorecards: []scorecard.Result{docs, silver}},
		{Ref: "component:default/legacy", Path: "legacy/catalog-info.yaml", Line: 5, Scorecards: []scorecard.Result{broken, none}},
		{Ref: "location:default/root", Path: "catalog-info.yaml", Line: 1},
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ format, file string }{
		{"text", "report.text.golden"}, {"json", "report.json.golden"}, {"markdown", "report.md.golden"},
	} {
		t.Run(c.format, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := Write(&b, c.format, sample()); err != nil {
				t.Fatal(err)
			}
			golden(t, c.file, b.String())
		})
	}
	if err := Write(&bytes.Buffer{}, "html", nil); err == nil {
		t.Error("Write html: no error")
	}
}

// The JSON shape is a contract: decode it the way a pipeline would.
func TestJSONShape(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := Write(&b, "json", sample()); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Entities []struct {
			Ref, Path  string
			Line       int
			Scorecards []struct {
				ID        string  `json:"id"`
				Level     *string `json:"level"`
				NextLevel *string `json:"next_level"`
				Points    int     `json:"points"`
				MaxPoints int     `json:"max_points"`
				Rules     []struct{ Status string }
				Error     string `json:"error"`
			}
		}
		Summary struct {
			Entities int                       `json:"entities"`
			ByLevel  map[string]map[string]int `json:"by_level"`
		}
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	pr := got.Entities[0].Scorecards[1]
	if pr.ID != "production-readiness" || *pr.Level != "silver" || *pr.NextLevel != "gold" || pr.Points != 11 || pr.MaxPoints != 16 || pr.Rules[5].Status != "unknown" {
		t.Errorf("payments' production-readiness: %+v", pr)
	}
	if top := got.Entities[0].Scorecards[0]; top.NextLevel != nil {
		t.Errorf("next_level at the top is %q, want null", *top.NextLevel)
	}
	if broken := got.Entities[1].Scorecards[0]; broken.Level != nil || broken.Error == "" || broken.Rules == nil {
		t.Errorf("failed scorecard: %+v, want level null, an error and rules []", broken)
	}
	want := map[string]map[string]int{"production-readiness": {"silver": 1, "none": 1}, "documentation": {"complete": 1, "error": 1}}
	if got.Summary.Entities != 3 || len(got.Summary.ByLevel) != 2 || got.Summary.ByLevel["production-readiness"]["none"] != 1 || got.Summary.ByLevel["documentation"]["error"] != want["documentation"]["error"] {
		t.Errorf("summary %+v, want %v", got.Summary, want)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}
