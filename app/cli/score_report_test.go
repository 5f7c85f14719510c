package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// recordedScore is a score file as the central catalog records it: one
// element of `portico score --format json`'s entities.
func recordedScore(ref, level string, failed ...string) string {
	rules := []string{`{"id": "has-readme", "title": "README", "level": "bronze", "weight": 1, "status": "passed", "message": ""}`}
	for _, id := range failed {
		rules = append(rules, fmt.Sprintf(`{"id": %q, "title": "t", "level": "silver", "weight": 2, "status": "failed", "message": "fix it"}`, id))
	}
	return fmt.Sprintf(`{"ref": %q, "path": "catalog-info.yaml", "line": 1, "scorecards": [
  {"id": "production-readiness", "title": "Production readiness", "level": %q, "next_level": "silver", "points": 1, "max_points": 5, "rules": [%s]}
]}
`, ref, level, strings.Join(rules, ", "))
}

// TestScoreReport reads a catalog with three score files (one entity gone
// from catalog/, so without an owner) and one broken file: the broken one
// is named and the others counted per level, per owner and per rule.
func TestScoreReport(t *testing.T) {
	t.Parallel()
	central := sourceRepo(t, "https://github.com/acme/catalog", map[string]string{
		"catalog/default/component/a.yaml":    fmt.Sprintf(catalogComponent, "a"),
		"catalog/default/component/b.yaml":    strings.Replace(fmt.Sprintf(catalogComponent, "b"), "team-a", "group:platform", 1),
		"scorecards/default/component/a.json": recordedScore("component:default/a", "bronze", "has-ci", "has-codeowners"),
		"scorecards/default/component/b.json": recordedScore("component:default/b", "none", "has-ci"),
		"scorecards/default/component/c.json": recordedScore("component:default/c", "bronze"),
		"scorecards/default/component/d.json": `{"ref": "component:default/d", "scorecards": [`,
	})
	code, stdout, stderr := runSplit(t, "score", "report", "--catalog", central, "--format", "json")
	if code != ExitUsage || !strings.Contains(stderr, "scorecards/default/component/d.json") {
		t.Errorf("exit %d, stderr %q: want 2 naming the broken file", code, stderr)
	}
	var got struct {
		Entities   int
		Scorecards []struct {
			ID      string
			ByLevel map[string]int `json:"by_level"`
			ByOwner []struct {
				Owner   string
				ByLevel map[string]int `json:"by_level"`
			} `json:"by_owner"`
			MostFailed []struct {
				ID     string
				Failed int
			} `json:"most_failed"`
		}
		Problems []struct{ Path string }
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if got.Entities != 3 || len(got.Scorecards) != 1 || len(got.Problems) != 1 || got.Problems[0].Path != "scorecards/default/component/d.json" {
		t.Fatalf("report %+v", got)
	}
	c := got.Scorecards[0]
	if c.ByLevel["bronze"] != 2 || c.ByLevel["none"] != 1 {
		t.Errorf("by level %v, want 2 bronze, 1 none", c.ByLevel)
	}
	owners := map[string]map[string]int{}
	for _, o := range c.ByOwner {
		owners[o.Owner] = o.ByLevel
	}
	if owners["group:default/team-a"]["bronze"] != 1 || owners["group:default/platform"]["none"] != 1 || owners[""]["bronze"] != 1 || len(owners) != 3 {
		t.Errorf("by owner %v", owners)
	}
	if len(c.MostFailed) != 2 || c.MostFailed[0].ID != "has-ci" || c.MostFailed[0].Failed != 2 {
		t.Errorf("most failed %+v, want has-ci twice first", c.MostFailed)
	}
}

func TestScoreReportEmptyAndUsage(t *testing.T) {
	t.Parallel()
	empty := t.TempDir()
	gitRun(t, empty, "init", "-q")
	code, stdout, stderr := runSplit(t, "score", "report", "--catalog", empty)
	if code != ExitOK || !strings.HasPrefix(stdout, "0 entities scored") {
		t.Errorf("empty catalog: exit %d, %q %q", code, stdout, stderr)
	}
	for _, args := range [][]string{
		{"score", "report"},
		{"score", "report", "--catalog", empty, "--format", "sarif"},
		{"score", "report", "--catalog", empty, "extra"},
	} {
		if code, _, _ := runSplit(t, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
}

// TestScoreReportFromGitHub reads the score files of a private central
// catalog on (the fake) GitHub named owner/name, with GITHUB_TOKEN, as a
// scheduled workflow publishing the page would.
func TestScoreReportFromGitHub(t *testing.T) {
	t.Parallel()
	fake, token := fakeCatalogRepo(t)
	central := sourceRepo(t, "https://github.com/acme/catalog", map[string]string{
		"catalog/default/component/a.yaml":    fmt.Sprintf(catalogComponent, "a"),
		"scorecards/default/component/a.json": recordedScore("component:default/a", "bronze", "has-ci"),
	})
	pushed := strings.Replace(fake.GitURL("acme", "catalog"), "://", "://x-access-token:"+token+"@", 1)
	gitRun(t, central, "push", "-q", pushed, "main")
	env := map[string]string{"GITHUB_SERVER_URL": fake.URL(), "GITHUB_TOKEN": token}
	code, out := runMainEnv(t, env, "score", "report", "--catalog", "acme/catalog", "--format", "markdown")
	if code != ExitOK || !strings.Contains(out, "| group:default/team-a | 1 | 0 | 1 | 0 | 0 |") || !strings.Contains(out, "(has-ci) | silver | 1 |") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	delete(env, "GITHUB_TOKEN")
	if code, out := runMainEnv(t, env, "score", "report", "--catalog", "acme/catalog"); code != ExitUsage || strings.Contains(out, token) {
		t.Errorf("private catalog without a token: exit %d\n%s", code, out)
	}
}
