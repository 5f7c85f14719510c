package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/portico-dev/portico/app/githubtest"
)

// TestServeRidesOutGitHubTrouble makes GitHub fail for a while (5xx on
// reads, a secondary rate limit on check run creation, slow answers) and
// expects the check to wait and complete with the right result.
func TestServeRidesOutGitHubTrouble(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.start()
	_, err := a.gh.Commit("acme", "web", "feature", githubtest.Files{"catalog-info.yaml": githubtest.Text(brokenWeb)}, "describe")
	must(t, err)
	a.gh.Inject(githubtest.Fault{Method: http.MethodGet, PathPrefix: "/repos/acme/web/pulls", Status: 502, Times: 2})
	a.gh.Inject(githubtest.Fault{Method: http.MethodPost, PathPrefix: "/repos/acme/web/check-runs", Status: 403, RetryAfter: time.Second, Times: 1})
	a.gh.Inject(githubtest.Fault{PathPrefix: "/repos/acme/web/contents", Latency: 300 * time.Millisecond})
	pr, err := a.gh.OpenPullRequest("acme", "web", "feature", "main", "Describe")
	must(t, err)
	run := a.waitCheck(pr.HeadSHA)
	if run.Conclusion != "failure" || len(run.Annotations) != 3 {
		t.Errorf("conclusion %q with %d annotations, want failure with 3:\n%s", run.Conclusion, len(run.Annotations), annotationLines(run))
	}
	if n := len(a.gh.CheckRuns("acme", "web", pr.HeadSHA)); n != 1 {
		t.Errorf("%d check runs after retries, want 1", n)
	}
	reqs := a.gh.Requests()
	// The check's first read is the pull request itself (is its head
	// still current?): the two 502s fell on it.
	if reqs["GET /repos/{owner}/{repo}/pulls/{pull_number}"] < 3 {
		t.Errorf("the failing pull request read was not retried: %v", reqs)
	}
}
