package loadtest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/portico-dev/portico/app/githubtest"
)

// descriptor is a component that a check reports on: name may hold a
// space, which Backstage refuses, and its owner is a user, which the
// default policies warn about. Most checks that matter post annotations.
func descriptor(name string) string {
	return fmt.Sprintf(`apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: %s
  description: Measured by portico dev load.
spec:
  type: service
  lifecycle: experimental
  owner: user:jane
`, name)
}

// openConcurrency bounds the pull requests opened at once; each opening
// sends its webhook and waits for portico's answer.
const openConcurrency = 16

// Burst opens n pull requests at once, each changing a descriptor, and
// measures every check.
func Burst(ctx context.Context, e Env, n int) (Result, error) {
	branches := make([]string, n)
	for i := range n {
		branches[i] = fmt.Sprintf("burst-%d", i)
		files := githubtest.Files{"catalog-info.yaml": githubtest.Text(descriptor(fmt.Sprintf("burst svc %d", i)))}
		if _, err := e.GitHub.Commit(e.Owner, e.Repo, branches[i], files, "describe"); err != nil {
			return Result{}, err
		}
	}
	ps, err := e.openAll(e.Repo, branches)
	if err != nil {
		return Result{}, err
	}
	checks, err := e.wait(ctx, ps)
	res := Result{Scenario: fmt.Sprintf("burst of %d pull requests", n), Checks: checks}
	if err == nil {
		res.Notes = append(res.Notes, fmt.Sprintf("every check completed %s after the last delivery", round(lastDone(ps, checks).Sub(lastStart(ps)))))
	}
	return res, err
}

// openAll opens a pull request from each branch into main, at once.
func (e Env) openAll(repo string, branches []string) ([]pending, error) {
	ps := make([]pending, len(branches))
	errs := make([]error, len(branches))
	sem := make(chan struct{}, openConcurrency)
	var wg sync.WaitGroup
	for i, b := range branches {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			start := time.Now()
			pr, err := e.GitHub.OpenPullRequest(e.Owner, repo, b, "main", "Change "+b)
			ps[i], errs[i] = pending{repo: repo, pr: pr.Number, sha: pr.HeadSHA, start: start}, err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return ps, nil
}

func lastStart(ps []pending) time.Time {
	var t time.Time
	for _, p := range ps {
		if p.start.After(t) {
			t = p.start
		}
	}
	return t
}

func lastDone(ps []pending, checks []Check) time.Time {
	var t time.Time
	for i, c := range checks {
		if done := ps[i].start.Add(c.Latency); done.After(t) {
			t = done
		}
	}
	return t
}

// Pushes opens a pull request and pushes n commits to it, interval apart
// (0: as fast as the fake takes them), then measures the newest head's
// check and counts the older heads that got one.
func Pushes(ctx context.Context, e Env, n int, interval time.Duration) (Result, error) {
	files := func(i int) githubtest.Files {
		return githubtest.Files{"catalog-info.yaml": githubtest.Text(descriptor(fmt.Sprintf("pushed svc %d", i)))}
	}
	if _, err := e.GitHub.Commit(e.Owner, e.Repo, "pushes", files(0), "describe"); err != nil {
		return Result{}, err
	}
	pr, err := e.GitHub.OpenPullRequest(e.Owner, e.Repo, "pushes", "main", "Pushed again and again")
	if err != nil {
		return Result{}, err
	}
	heads := []string{pr.HeadSHA}
	var last pending
	for i := 1; i <= n; i++ {
		time.Sleep(interval)
		start := time.Now()
		sha, err := e.GitHub.PushToPullRequest(e.Owner, e.Repo, pr.Number, files(i), fmt.Sprintf("push %d", i))
		if err != nil {
			return Result{}, err
		}
		heads = append(heads, sha)
		last = pending{repo: e.Repo, pr: pr.Number, sha: sha, start: start}
	}
	checks, err := e.wait(ctx, []pending{last})
	res := Result{Scenario: fmt.Sprintf("%d pushes to one pull request", n), Checks: checks, Heads: heads}
	if err != nil {
		return res, err
	}
	older := e.CheckedHeads(e.Repo, heads[:len(heads)-1])
	res.Notes = append(res.Notes, fmt.Sprintf("%d of the %d older heads got a completed check; the others were superseded", older, len(heads)-1))
	return res, nil
}

// Large opens a pull request whose descriptor holds documents broken
// entities (two findings each), then at once one with a single broken
// entity, and measures both.
func Large(ctx context.Context, e Env, documents int) (Result, error) {
	var b strings.Builder
	for i := range documents {
		fmt.Fprintf(&b, "---\n%s", descriptor(fmt.Sprintf("large svc %d", i)))
	}
	if _, err := e.GitHub.Commit(e.Owner, e.Repo, "large", githubtest.Files{"catalog-info.yaml": githubtest.Text(b.String())}, "describe everything"); err != nil {
		return Result{}, err
	}
	if _, err := e.GitHub.Commit(e.Owner, e.Repo, "small", githubtest.Files{"small.catalog.yaml": githubtest.Text(descriptor("small svc"))}, "describe one"); err != nil {
		return Result{}, err
	}
	ps, err := e.openAll(e.Repo, []string{"large", "small"})
	if err != nil {
		return Result{}, err
	}
	checks, err := e.wait(ctx, ps)
	res := Result{Scenario: fmt.Sprintf("a pull request with %d broken entities beside one with a single one", documents), Checks: checks}
	if err != nil {
		return res, err
	}
	large := e.settled(ctx, ps[0])
	res.Checks[0].Run, res.Checks[0].Writes = large, large.Requests
	res.Notes = append(res.Notes,
		fmt.Sprintf("large: completed in %s in its first write, then %d writes in all for %d annotations; single: %s, %d writes",
			round(checks[0].Latency), large.Requests, len(large.Annotations), round(checks[1].Latency), checks[1].Writes))
	return res, nil
}

// settled returns p's check run once no write has changed it for a
// second: a run is completed in its first write, and annotations beyond
// the first 50 follow in further ones.
func (e Env) settled(ctx context.Context, p pending) githubtest.CheckRun {
	run, _ := e.completed(p.repo, p.sha)
	for quiet := time.Now(); time.Since(quiet) < time.Second && ctx.Err() == nil; time.Sleep(pollInterval) {
		if now, _ := e.completed(p.repo, p.sha); now.Requests != run.Requests {
			run, quiet = now, time.Now()
		}
	}
	return run
}
