package main

import (
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
)

// bronzeService is bronze on production-readiness: silver asks besides
// for CODEOWNERS and CI, which its repository lacks.
const bronzeService = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments
  description: Takes payments.
  annotations:
    backstage.io/techdocs-ref: dir:.
spec:
  type: service
  lifecycle: production
  owner: group:team-pay
  system: checkout
`

// A pull request that adds CODEOWNERS and a workflow, and no
// descriptor, moves the repository's service from bronze to silver: the
// check's summary says so, with the rules fixed, and it passes.
func TestServeScoresPullRequestWithoutDescriptorChange(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, err := a.gh.Commit("acme", "web", "main", githubtest.Files{
		"catalog-info.yaml": githubtest.Text(bronzeService),
		"mkdocs.yml":        githubtest.Text("site_name: payments\n"),
	}, "describe the service")
	must(t, err)
	must(t, a.gh.SetLanguages("acme", "web", map[string]int{"Go": 1200}))
	a.start()
	_, err = a.gh.Commit("acme", "web", "owners", githubtest.Files{
		"CODEOWNERS":               githubtest.Text("* @acme/team-pay\n"),
		".github/workflows/ci.yml": githubtest.Text("on: push\njobs: {}\n"),
	}, "owners and CI")
	must(t, err)
	pr, err := a.gh.OpenPullRequest("acme", "web", "owners", "main", "Owners and CI")
	must(t, err)
	run := a.waitCheck(pr.HeadSHA)
	if run.Conclusion != "success" || run.Title != "No catalog descriptor changed; 1 score moved" {
		t.Errorf("conclusion %q title %q, want success with a moved score", run.Conclusion, run.Title)
	}
	if !strings.Contains(run.Summary, "bronze → silver") {
		t.Errorf("summary does not say bronze → silver:\n%s", run.Summary)
	}
	golden(t, "check-scores.summary.golden", run.Summary)
	if v := a.gh.Violations(); len(v) > 0 {
		t.Errorf("requests GitHub would refuse: %v", v)
	}
}
