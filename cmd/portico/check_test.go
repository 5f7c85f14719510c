package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
)

const brokenWeb = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web shop
  description: The shop front.
spec:
  type: website
  lifecycle: experimental
  owner: user:jane
`

const goodAPI = `apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: shop-api
  description: The shop's API.
  links: [{url: "https://docs.acme.example/shop-api", title: Docs}]
spec:
  type: openapi
  lifecycle: experimental
  owner: team-shop
  definition: "openapi: 3.0.0"
`

// annotationLines lists a run's annotations as path:line:col level title.
func annotationLines(r githubtest.CheckRun) string {
	var b strings.Builder
	for _, a := range r.Annotations {
		col := 0
		if a.StartColumn != nil {
			col = *a.StartColumn
		}
		fmt.Fprintf(&b, "%s:%d:%d %s %s\n", a.Path, a.StartLine, col, a.Level, a.Title)
	}
	return b.String()
}

func TestServeChecksPullRequests(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.start()
	_, err := a.gh.Commit("acme", "web", "feature", githubtest.Files{
		"catalog-info.yaml":         githubtest.Text(brokenWeb),
		"api/shop-api.catalog.yaml": githubtest.Text(goodAPI),
		"src/main.go":               githubtest.Text("package main\n"),
	}, "describe the shop")
	must(t, err)
	pr, err := a.gh.OpenPullRequest("acme", "web", "feature", "main", "Describe the shop")
	must(t, err)
	run := a.waitCheck(pr.HeadSHA)
	if run.Conclusion != "failure" || run.Title != "1 error, 2 warnings in 2 descriptors" {
		t.Errorf("conclusion %q title %q, want failure with 1 error and 2 warnings", run.Conclusion, run.Title)
	}
	golden(t, "check-failure.annotations.golden", annotationLines(run))
	golden(t, "check-failure.summary.golden", run.Summary)

	// A re-run on the same head updates the same check run and posts no
	// annotation twice.
	must(t, a.gh.RerequestCheckSuite("acme", "web", pr.HeadSHA))
	waitRequests(t, a, pr.HeadSHA, run.Requests)
	runs := a.gh.CheckRuns("acme", "web", pr.HeadSHA)
	if len(runs) != 1 || len(runs[0].Annotations) != len(run.Annotations) {
		t.Errorf("after a re-run: %d check runs, %d annotations; want 1 run with %d", len(runs), len(runs[0].Annotations), len(run.Annotations))
	}

	// The fix, pushed to the pull request, gets a passing check.
	sha, err := a.gh.PushToPullRequest("acme", "web", pr.Number, githubtest.Files{
		"catalog-info.yaml": githubtest.Text(strings.NewReplacer("web shop", "web-shop", "user:jane", "team-shop").Replace(brokenWeb)),
	}, "fix the descriptor")
	must(t, err)
	if fixed := a.waitCheck(sha); fixed.Conclusion != "neutral" && fixed.Conclusion != "success" {
		t.Errorf("after the fix: conclusion %q (%s)\n%s", fixed.Conclusion, fixed.Title, annotationLines(fixed))
	}
}

// waitRequests waits until the check run on sha saw more requests than n:
// the re-run reached GitHub and completed.
func waitRequests(t *testing.T, a *app, sha string, n int) {
	t.Helper()
	for range 1500 {
		runs := a.gh.CheckRuns("acme", "web", sha)
		if len(runs) > 0 && runs[0].Requests > n && runs[0].Status == "completed" {
			return
		}
		sleep()
	}
	t.Fatalf("the re-run never completed; logs:\n%s", a.logs.String())
}

func TestServeNoDescriptorChange(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.start()
	_, err := a.gh.Commit("acme", "web", "docs", githubtest.Files{"README.md": githubtest.Text("# better\n")}, "docs")
	must(t, err)
	pr, err := a.gh.OpenPullRequest("acme", "web", "docs", "main", "Docs")
	must(t, err)
	run := a.waitCheck(pr.HeadSHA)
	if run.Conclusion != "success" || len(run.Annotations) != 0 || run.Title != "No catalog descriptor changed" {
		t.Errorf("check %q %q with %d annotations", run.Conclusion, run.Title, len(run.Annotations))
	}
}

// TestServeChecksForkPullRequest checks a pull request from a fork: its
// head commit is read through the base repository, and nothing of the
// fork is trusted beyond the descriptors it changes.
func TestServeChecksForkPullRequest(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.start()
	pr := openForkPullRequest(t, a)
	run := a.waitCheck(pr.HeadSHA)
	if run.Conclusion != "failure" || len(run.Annotations) != 3 {
		t.Errorf("fork pull request: %q with %d annotations, want failure with 3", run.Conclusion, len(run.Annotations))
	}
}

// openForkPullRequest opens a pull request from alice's fork of acme/web
// that changes a broken descriptor.
func openForkPullRequest(t *testing.T, a *app) githubtest.PullRequest {
	t.Helper()
	must(t, a.gh.CreateFork("acme", "web", "alice"))
	_, err := a.gh.Commit("alice", "web", "feature", githubtest.Files{"catalog-info.yaml": githubtest.Text(brokenWeb)}, "from a fork")
	must(t, err)
	pr, err := a.gh.OpenPullRequest("acme", "web", "alice:feature", "main", "From a fork", githubtest.OpenedBy("alice"))
	must(t, err)
	return pr
}
