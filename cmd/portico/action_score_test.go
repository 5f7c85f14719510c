package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// scoreWorkspace is a checkout as a workflow has it: the payments service
// with a README, CODEOWNERS, a CI workflow and MkDocs, so silver on
// production-readiness, beside the broken web descriptor.
func scoreWorkspace(t *testing.T) string {
	t.Helper()
	ws := t.TempDir()
	copyTree(t, "../../testdata/examples/payments", filepath.Join(ws, "svc"))
	copyTree(t, "../../testdata/examples/web", filepath.Join(ws, "web"))
	for p, content := range map[string]string{
		"README.md": "# payments\n", "CODEOWNERS": "* @acme/payments\n",
		".github/workflows/ci.yml": "on: push\n", "mkdocs.yml": "site_name: payments\n",
	} {
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(ws, p)), 0o755))
		must(t, os.WriteFile(filepath.Join(ws, p), []byte(content), 0o644))
	}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "."}, {"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "svc"}} {
		if out, err := exec.Command("git", append([]string{"-C", ws}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return ws
}

// TestActionScore: with score on, the job summary gets the scorecard
// table and what to do next, and levels says each entity's level per
// scorecard, even though validation failed on the other descriptor.
func TestActionScore(t *testing.T) {
	ws := scoreWorkspace(t)
	outputs, summary, failed := runAction(t, ws, map[string]string{"paths": "svc\nweb", "score": "true"})
	if !failed {
		t.Error("the action passed with a broken descriptor; want validation to fail the step")
	}
	if !strings.Contains(summary, "web/catalog-info.yaml") {
		t.Errorf("the findings are missing from the job summary:\n%s", summary)
	}
	for _, want := range []string{"## Scorecards", "| `component:default/payments-api` |", "silver (", "to reach gold", "has-security-policy"} {
		if !strings.Contains(summary, want) {
			t.Errorf("job summary lacks %q:\n%s", want, summary)
		}
	}
	var levels map[string]map[string]string
	if err := json.Unmarshal([]byte(outputs["levels"]), &levels); err != nil {
		t.Fatalf("levels output %q: %v", outputs["levels"], err)
	}
	if got := levels["component:default/payments-api"]["production-readiness"]; got != "silver" {
		t.Errorf("payments-api production-readiness = %q, want silver (levels %v)", got, levels)
	}
	if _, ok := levels["component:default/payments-api"]["documentation"]; !ok {
		t.Errorf("levels lack the documentation scorecard: %v", levels)
	}
}

// TestActionScoreOff: by default the action scores nothing: no table,
// no levels.
func TestActionScoreOff(t *testing.T) {
	ws := scoreWorkspace(t)
	outputs, summary, failed := runAction(t, ws, map[string]string{"paths": "svc"})
	if failed {
		t.Fatal("the action failed on a clean descriptor")
	}
	if outputs["levels"] != "" || strings.Contains(summary, "Scorecards") {
		t.Errorf("score is off, yet levels = %q and the summary:\n%s", outputs["levels"], summary)
	}
}
