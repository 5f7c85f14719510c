package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/portico-dev/portico/app/githubtest"
)

// CheckName is the pull request check's name, as GitHub shows it.
const CheckName = "portico / catalog"

// pollInterval is how often the fake's check runs are looked at.
const pollInterval = 20 * time.Millisecond

// Env is a portico App under test and the fake GitHub it is installed on.
type Env struct {
	GitHub *githubtest.Server
	// Installation is the App's installation on Owner.
	Installation int64
	Owner        string
	// Repo is a repository of Owner, with a main branch, that the
	// installation includes.
	Repo string
}

// Check is one pull request check as measured.
type Check struct {
	PR      int
	SHA     string
	Latency time.Duration // from the event that asked for it to its completed run
	Writes  int           // create and update requests of its check run
	Run     githubtest.CheckRun
}

// Result is what a scenario measured.
type Result struct {
	Scenario string
	Checks   []Check
	Notes    []string
	// Heads are the commits Pushes pushed, oldest first.
	Heads []string
}

// String renders the result as a few report lines.
func (r Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d checks", r.Scenario, len(r.Checks))
	if len(r.Checks) > 0 {
		lat := r.latencies()
		writes := 0
		for _, c := range r.Checks {
			writes += c.Writes
		}
		fmt.Fprintf(&b, ", latency p50 %s, p99 %s, max %s; %d writes (%.2f a check)",
			round(lat[len(lat)*50/100]), round(lat[min(len(lat)*99/100, len(lat)-1)]), round(lat[len(lat)-1]),
			writes, float64(writes)/float64(len(r.Checks)))
	}
	b.WriteString("\n")
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "  %s\n", n)
	}
	return b.String()
}

func (r Result) latencies() []time.Duration {
	lat := make([]time.Duration, len(r.Checks))
	for i, c := range r.Checks {
		lat[i] = c.Latency
	}
	slices.Sort(lat)
	return lat
}

// Max is the longest latency measured.
func (r Result) Max() time.Duration {
	if len(r.Checks) == 0 {
		return 0
	}
	return r.latencies()[len(r.Checks)-1]
}

func round(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

// fromDelivery measures checks from the pull_request delivery of their
// head rather than from the start of the action that caused it: what
// the fake GitHub takes to open a pull request or push is not portico's.
func (e Env) fromDelivery(ps []pending, checks []Check) {
	delivered := map[string]time.Time{}
	for _, d := range e.GitHub.Deliveries() {
		var p struct {
			PullRequest struct {
				Head struct {
					SHA string `json:"sha"`
				} `json:"head"`
			} `json:"pull_request"`
		}
		if d.Event == "pull_request" && json.Unmarshal(d.Payload, &p) == nil && p.PullRequest.Head.SHA != "" {
			delivered[p.PullRequest.Head.SHA] = d.DeliveredAt
		}
	}
	for i, p := range ps {
		if at, ok := delivered[p.sha]; ok && at.After(p.start) {
			checks[i].Latency -= at.Sub(p.start)
			ps[i].start = at
		}
	}
}

// CheckedHeads counts the heads of repo that have a completed check.
func (e Env) CheckedHeads(repo string, heads []string) int {
	n := 0
	for _, sha := range heads {
		if _, ok := e.completed(repo, sha); ok {
			n++
		}
	}
	return n
}

// completed returns sha's completed check run, if there is one.
func (e Env) completed(repo, sha string) (githubtest.CheckRun, bool) {
	for _, r := range e.GitHub.CheckRuns(e.Owner, repo, sha) {
		if r.Name == CheckName && r.Status == "completed" {
			return r, true
		}
	}
	return githubtest.CheckRun{}, false
}

// pending is a check being waited for.
type pending struct {
	repo  string
	pr    int
	sha   string
	start time.Time
}

// wait waits until every check of ps has completed, and measures each
// from the webhook delivery that asked for it (or its start, if the fake
// sent none) to when it was first seen completed (every 20 ms: the
// timestamps GitHub keeps have whole seconds only).
func (e Env) wait(ctx context.Context, ps []pending) ([]Check, error) {
	out := make([]Check, len(ps))
	left := len(ps)
	for {
		for i, p := range ps {
			if out[i].SHA != "" {
				continue
			}
			if run, ok := e.completed(p.repo, p.sha); ok {
				out[i] = Check{PR: p.pr, SHA: p.sha, Latency: time.Since(p.start), Writes: run.Requests, Run: run}
				left--
			}
		}
		if left == 0 {
			e.fromDelivery(ps, out)
			return out, nil
		}
		select {
		case <-ctx.Done():
			return out, fmt.Errorf("%d of %d checks never completed: %w", left, len(ps), context.Cause(ctx))
		case <-time.After(pollInterval):
		}
	}
}
