package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
)

// pullsWithCommit is the operation portico asks when an event names no
// pull request: which ones hold the commit.
const pullsWithCommit = "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls"

// TestServeRerunForkPullRequest re-runs the check of a pull request from
// a fork. GitHub's check_suite.rerequested names no pull request for a
// fork's commit, so portico must ask which pull requests hold the commit
// and check them again: the same check run is updated, and the job is not
// cancelled.
func TestServeRerunForkPullRequest(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.start()
	pr := openForkPullRequest(t, a)
	run := a.waitCheck(pr.HeadSHA)
	asked := a.gh.Requests()[pullsWithCommit]

	must(t, a.gh.RerequestCheckSuite("acme", "web", pr.HeadSHA))
	if pulls := rerequestedPulls(t, a.gh); pulls != 0 {
		t.Fatalf("check_suite.rerequested for a fork's commit names %d pull requests, want none as GitHub sends", pulls)
	}
	waitRequests(t, a, pr.HeadSHA, run.Requests)

	if n := a.gh.Requests()[pullsWithCommit]; n <= asked {
		t.Errorf("%s asked %d times after the re-run, %d before; want more", pullsWithCommit, n, asked)
	}
	runs := a.gh.CheckRuns("acme", "web", pr.HeadSHA)
	if len(runs) != 1 || runs[0].ID != run.ID || runs[0].Conclusion != "failure" || len(runs[0].Annotations) != len(run.Annotations) {
		t.Errorf("after the re-run: %+v; want run %d alone, updated, failure with %d annotations", runs, run.ID, len(run.Annotations))
	}
	if lines := cancelled(a.logs.String()); lines != "" {
		t.Errorf("the re-run was cancelled:\n%s", lines)
	}
}

// rerequestedPulls counts the pull requests the last check_suite.rerequested
// delivery names.
func rerequestedPulls(t *testing.T, gh *githubtest.Server) int {
	t.Helper()
	ds := gh.Deliveries()
	for i := len(ds) - 1; i >= 0; i-- {
		if ds[i].Event != "check_suite" || ds[i].Action != "rerequested" {
			continue
		}
		var p struct {
			CheckSuite struct {
				PullRequests []json.RawMessage `json:"pull_requests"`
			} `json:"check_suite"`
		}
		must(t, json.Unmarshal(ds[i].Payload, &p))
		return len(p.CheckSuite.PullRequests)
	}
	t.Fatal("no check_suite.rerequested delivery")
	return 0
}

// cancelled returns the log lines that tell of a job given up.
func cancelled(logs string) string {
	var out []string
	for _, line := range strings.Split(logs, "\n") {
		if l := strings.ToLower(line); strings.Contains(l, "cancel") || strings.Contains(l, "cannot be done") {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
