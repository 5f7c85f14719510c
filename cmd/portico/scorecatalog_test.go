package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
	"github.com/portico-dev/portico/app/scorereport"
)

const webScore = "scorecards/default/component/payments.json"

// The central catalog records a service's score beside it, and a merge
// that adds CODEOWNERS and a workflow (no descriptor) records the new
// level, silver, in the sync commit of the merged commit.
func TestServeRecordsScoresInCatalog(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	must(t, a.gh.SetLanguages("acme", "web", map[string]int{"Go": 1200}))
	a.start()
	_, err := a.gh.Commit("acme", "web", "main", githubtest.Files{
		"catalog-info.yaml": githubtest.Text(bronzeService),
		"mkdocs.yml":        githubtest.Text("site_name: payments\n"),
	}, "describe the service")
	must(t, err)
	waitCatalog(a, webScore, true)
	if level := recordedLevel(t, catalogFile(a, webScore)); level != "bronze" {
		t.Fatalf("recorded level %q, want bronze", level)
	}
	// The pull request's change, merged: GitHub pushes it to main.
	merged, err := a.gh.Commit("acme", "web", "main", githubtest.Files{
		"CODEOWNERS":               githubtest.Text("* @acme/team-pay\n"),
		".github/workflows/ci.yml": githubtest.Text("on: push\njobs: {}\n"),
	}, "Merge pull request #1: owners and CI")
	must(t, err)
	a.waitUntil("the score to become silver", func() bool {
		return recordedLevel(t, catalogFile(a, webScore)) == "silver"
	})
	central := filepath.Join(a.dataDir, "catalog.git")
	out, err := exec.Command("git", "-C", central, "log", "-1", "--format=%s", "main", "--", webScore).Output()
	must(t, err)
	if want := "sync acme/web@" + merged[:7] + ": +0 ~0 -0, 1 score"; strings.TrimSpace(string(out)) != want {
		t.Errorf("the score's last commit is %q, want %q", out, want)
	}
	if v := a.gh.Violations(); len(v) > 0 {
		t.Errorf("requests GitHub would refuse: %v", v)
	}
}

// recordedLevel is the production-readiness level a score file records,
// "" when there is none.
func recordedLevel(t *testing.T, data string) string {
	t.Helper()
	if data == "" {
		return ""
	}
	rec, err := scorereport.ParseRecorded([]byte(data))
	if err != nil {
		t.Fatalf("score file: %v\n%s", err, data)
	}
	for _, s := range scorereport.SummarizeOrg("", []scorereport.Recorded{rec}, nil).Scorecards {
		for level, n := range s.ByLevel {
			if s.ID == "production-readiness" && n == 1 {
				return level
			}
		}
	}
	return ""
}
