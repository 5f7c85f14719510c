package main

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/portico-dev/portico/app/githubtest"
	"github.com/portico-dev/portico/app/loadtest"
)

// The tests below are the organisation-scale figures of the pull request
// check, smaller; `portico dev load --scenario` measures them full size.
// They assert what must hold at any speed (one write per check, nothing
// lost, checks before bulk work), never how fast.

// scaleWait bounds a scenario on a loaded 2-core machine running -race.
const scaleWait = 3 * time.Minute

// startScaled starts portico with github.com's write limits (the fake is
// not github.com, where pacing is off by default) or the limits given,
// and any further environment.
func startScaled(t *testing.T, limits string, env ...string) (*app, loadtest.Env) {
	t.Helper()
	a := newApp(t, githubtest.WithResponseValidation(false))
	a.env = append(a.env, "PORTICO_GITHUB_WRITE_LIMITS="+limits, "PORTICO_LOG_LEVEL=warn")
	a.env = append(a.env, env...)
	a.start()
	return a, loadtest.Env{GitHub: a.gh, Installation: a.inst, Owner: "acme", Repo: "web"}
}

func scenarioContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), scaleWait)
	t.Cleanup(cancel)
	return ctx
}

// TestScaleBurstOneWriteEach: pull requests opened at once each get their
// check in a single write. A check shows "in progress" first only when it
// takes longer than checks.in_progress_after, which a loaded machine
// running -race may pass: the threshold is set out of reach here, so the
// test asserts the one write that a check under it gets, at any speed
// (app/checkrun tests the threshold itself).
func TestScaleBurstOneWriteEach(t *testing.T) {
	t.Parallel()
	a, env := startScaled(t, "github.com", "PORTICO_CHECKS_IN_PROGRESS_AFTER=1h")
	res, err := loadtest.Burst(scenarioContext(t), env, 40)
	if err != nil {
		t.Fatalf("%v\n%s", err, a.logs.String())
	}
	for _, c := range res.Checks {
		if c.Writes != 1 || c.Run.Conclusion != "failure" || len(c.Run.Annotations) == 0 {
			t.Errorf("#%d: %d writes, %q with %d annotations; want one write of a failure with its annotations", c.PR, c.Writes, c.Run.Conclusion, len(c.Run.Annotations))
		}
	}
	t.Log(res)
}

// TestScalePushesNewestHeadFirst: pushes that overtake a slow check
// supersede it; the newest head is checked, and every older head is
// either checked or counted as superseded.
func TestScalePushesNewestHeadFirst(t *testing.T) {
	t.Parallel()
	a, env := startScaled(t, "github.com")
	a.gh.Inject(githubtest.Fault{Method: http.MethodGet, PathPrefix: "/repos/acme/web/pulls/", Latency: 300 * time.Millisecond})
	const pushes = 10
	res, err := loadtest.Pushes(scenarioContext(t), env, pushes, 0)
	if err != nil {
		t.Fatalf("%v\n%s", err, a.logs.String())
	}
	if c := res.Checks[0]; c.Run.Conclusion != "failure" || c.Writes != 1 {
		t.Errorf("newest head: %q in %d writes, want a failure in one", c.Run.Conclusion, c.Writes)
	}
	// Every older head's job ends checked or superseded: nothing is lost.
	var checked, superseded int
	deadline := time.Now().Add(scaleWait)
	for time.Now().Before(deadline) {
		checked = env.CheckedHeads("web", res.Heads[:pushes])
		superseded = int(metricValue(metrics(t, a), `portico_jobs_superseded_total{kind="portico.pr_check"}`))
		if checked+superseded == pushes {
			break
		}
		sleep()
	}
	if checked+superseded != pushes || superseded < pushes/2 {
		t.Errorf("of %d older heads %d were checked and %d superseded; want all accounted for, most superseded\n%s", pushes, checked, superseded, res)
	}
}

// metricValue reads one sample of a Prometheus exposition; 0 when absent.
func metricValue(exposition, sample string) float64 {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(sample) + ` (\S+)$`)
	m := re.FindStringSubmatch(exposition)
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// TestScaleBulkNeverDelaysAPullRequest: discovery's catalog sync checks
// fill the write budget bulk may use; a pull request's check still gets
// through before the bulk work is done.
func TestScaleBulkNeverDelaysAPullRequest(t *testing.T) {
	t.Parallel()
	const repos, bulkShare = 30, 15 // checks=20/1m: bulk may use three quarters
	a, env := startScaled(t, "checks=20/1m")
	res, err := loadtest.Bulk(scenarioContext(t), env, repos, 10)
	if err != nil {
		t.Fatalf("%v\n%s", err, a.logs.String())
	}
	posted := a.gh.Requests()["POST /repos/{owner}/{repo}/check-runs"] - 1
	if c := res.Checks[0]; c.Writes != 1 || posted > bulkShare {
		t.Errorf("the pull request's check took %d writes with %d bulk check runs posted; want one write, bulk held to %d\n%s", c.Writes, posted, bulkShare, res)
	}
}

// TestScaleLargeChangeIsBounded: a change with thousands of findings posts
// a bounded number of annotations and says how to see the rest; a small
// pull request beside it gets its own check.
func TestScaleLargeChangeIsBounded(t *testing.T) {
	t.Parallel()
	a, env := startScaled(t, "github.com")
	res, err := loadtest.Large(scenarioContext(t), env, 1000)
	if err != nil {
		t.Fatalf("%v\n%s", err, a.logs.String())
	}
	large, small := res.Checks[0], res.Checks[1]
	// The run is completed in its first write; the other batches follow.
	run := large.Run
	for deadline := time.Now().Add(scaleWait); len(run.Annotations) < 300 && time.Now().Before(deadline); sleep() {
		run = a.gh.CheckRuns("acme", "web", large.SHA)[0]
	}
	if n := len(run.Annotations); n != 300 || run.Requests > 7 || !strings.Contains(run.Summary, "portico validate") {
		t.Errorf("large change: %d annotations in %d writes; want 300 in at most 7, and a summary that says how to see all", n, run.Requests)
	}
	if small.Writes > 2 || len(small.Run.Annotations) == 0 {
		t.Errorf("small change: %d writes, %d annotations", small.Writes, len(small.Run.Annotations))
	}
}
