package loadtest

import (
	"context"
	"fmt"
	"time"

	"github.com/portico-dev/portico/app/githubtest"
)

// createCheckRun is the fake's name for the request that posts a check run.
const createCheckRun = "POST /repos/{owner}/{repo}/check-runs"

// Bulk queues bulk work that writes check runs, then opens a pull
// request and measures its check. The bulk work is discovery: repos new
// repositories, each with an invalid descriptor on main, join the
// installation, and each one's catalog sync posts a "portico / catalog
// sync" check run (low priority, the same kind of write as the pull
// request's). The pull request opens once the bulk work has posted
// started check runs, so that it meets a write budget bulk is using.
func Bulk(ctx context.Context, e Env, repos, started int) (Result, error) {
	names, err := e.bulkRepos(repos)
	if err != nil {
		return Result{}, err
	}
	before := e.GitHub.Requests()[createCheckRun]
	if err := e.GitHub.AddInstallationRepos(e.Installation, names...); err != nil {
		return Result{}, err
	}
	if err := e.waitRequests(ctx, createCheckRun, before+started); err != nil {
		return Result{}, fmt.Errorf("bulk work never started: %w", err)
	}
	files := githubtest.Files{"catalog-info.yaml": githubtest.Text(descriptor("after bulk"))}
	if _, err := e.GitHub.Commit(e.Owner, e.Repo, "after-bulk", files, "describe"); err != nil {
		return Result{}, err
	}
	ps, err := e.openAll(e.Repo, []string{"after-bulk"})
	if err != nil {
		return Result{}, err
	}
	checks, err := e.wait(ctx, ps)
	res := Result{Scenario: fmt.Sprintf("bulk work of %d check runs queued before a pull request", repos), Checks: checks}
	if err == nil {
		posted := e.GitHub.Requests()[createCheckRun] - before - 1
		res.Notes = append(res.Notes, fmt.Sprintf("the pull request's check completed in %s, when bulk work had posted %d of its %d check runs", round(checks[0].Latency), posted, repos))
	}
	return res, err
}

// bulkRepos creates the repositories bulk work will sync.
func (e Env) bulkRepos(n int) ([]string, error) {
	names := make([]string, n)
	for i := range n {
		names[i] = fmt.Sprintf("bulk-%d", i)
		if err := e.GitHub.CreateRepo(e.Owner, names[i], "main"); err != nil {
			return nil, err
		}
		files := githubtest.Files{"catalog-info.yaml": githubtest.Text(descriptor(fmt.Sprintf("bulk svc %d", i)))}
		if _, err := e.GitHub.Commit(e.Owner, names[i], "main", files, "describe"); err != nil {
			return nil, err
		}
	}
	return names, nil
}

// waitRequests waits until the fake has served n requests of op.
func (e Env) waitRequests(ctx context.Context, op string, n int) error {
	for e.GitHub.Requests()[op] < n {
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(pollInterval):
		}
	}
	return nil
}
