package checks

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/policy"
	"github.com/portico-dev/portico/app/report"
	"github.com/portico-dev/portico/app/validate"
)

// Clients gives the API client of an installation.
type Clients interface {
	Installation(id int64) (*github.Client, error)
}

// Policies gives the policy engine an installation's checks use.
type Policies interface {
	Policy(ctx context.Context, installation int64) (*policy.Engine, error)
}

// Catalogs gives the central catalog as it stands, for references and the
// blast radius.
type Catalogs interface {
	Catalog(ctx context.Context) (*catalog.Catalog, error)
}

// Runner does CheckArgs jobs.
type Runner struct {
	clients  Clients
	policies Policies
	catalogs Catalogs
	appID    int64
	matcher  validate.Matcher
	maxBytes int64
	log      *slog.Logger
	now      func() time.Time
}

// NewRunner returns a Runner for the App appID, whose own check runs it
// looks for when it re-runs a check.
func NewRunner(clients Clients, policies Policies, appID int64, log *slog.Logger) *Runner {
	m, _ := validate.NewMatcher(nil)
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Runner{clients: clients, policies: policies, appID: appID, matcher: m, log: log, now: time.Now}
}

// WithCatalog makes the check report references that resolve neither in
// the central catalog nor in the change (warnings), and list the catalog
// entities the change affects. An empty catalog (nothing recorded yet)
// is not used, so that a new installation does not warn on every
// reference.
func (r *Runner) WithCatalog(c Catalogs) *Runner {
	r.catalogs = c
	return r
}

// catalog returns the central catalog, or nil when there is none to use.
func (r *Runner) catalog(ctx context.Context, log *slog.Logger) *catalog.Catalog {
	if r.catalogs == nil {
		return nil
	}
	cat, err := r.catalogs.Catalog(ctx)
	if err != nil {
		log.Warn("central catalog unavailable: checking without references", "error", err)
		return nil
	}
	if cat.Len() == 0 {
		return nil
	}
	return cat
}

// Work checks one pull request head and reports the Check Run. Errors
// that a retry cannot fix cancel the job; rate limits snooze it.
func (r *Runner) Work(ctx context.Context, job *river.Job[CheckArgs]) error {
	a := job.Args
	log := r.log.With("installation", a.InstallationID, "repository", a.Owner+"/"+a.Repo, "pr", a.Number, "sha", a.HeadSHA)
	c, err := r.clients.Installation(a.InstallationID)
	if err != nil {
		return river.JobCancel(fmt.Errorf("installation client: %w", err))
	}
	err = r.check(ctx, c, a, r.catalog(ctx, log))
	if err == nil {
		log.Info("pull request checked")
		return nil
	}
	return r.jobError(log, err)
}

// jobError maps a failure to what River should do with the job.
func (r *Runner) jobError(log *slog.Logger, err error) error {
	return gh.JobError(log, "pull request check", err, r.now())
}

// check runs the whole pipeline for one head: mark the check in progress,
// read and validate the changed descriptors, then complete the check.
func (r *Runner) check(ctx context.Context, c *github.Client, a CheckArgs, cat *catalog.Catalog) error {
	numbers, err := r.pullNumbers(ctx, c, a)
	if err != nil {
		return err
	}
	run, err := r.startCheckRun(ctx, c, a)
	if err != nil {
		return err
	}
	pol, err := r.policies.Policy(ctx, a.InstallationID)
	if err != nil {
		return err
	}
	chk := validate.NewChecker(pol, r.maxBytes)
	if cat != nil {
		chk = chk.WithReferences(validate.References{Catalog: cat})
	}
	res, err := r.validateChanges(ctx, c, a, numbers, chk)
	if err != nil {
		return err
	}
	res.catalog = cat
	return r.completeCheckRun(ctx, c, a, run, res)
}

// pullNumbers returns the pull requests to check: the one the event named,
// or the open ones whose head is the commit.
func (r *Runner) pullNumbers(ctx context.Context, c *github.Client, a CheckArgs) ([]int, error) {
	if a.Number > 0 {
		return []int{a.Number}, nil
	}
	prs, _, err := c.PullRequests.ListPullRequestsWithCommit(ctx, a.Owner, a.Repo, a.HeadSHA, &github.ListOptions{PerPage: 100})
	if err != nil {
		return nil, fmt.Errorf("pull requests of %s: %w", a.HeadSHA, err)
	}
	var out []int
	for _, p := range prs {
		if p.GetState() == "open" && p.GetHead().GetSHA() == a.HeadSHA {
			out = append(out, p.GetNumber())
		}
	}
	return out, nil
}

// result is what the check found.
type result struct {
	files   []*report.File
	summary report.Summary
	catalog *catalog.Catalog // nil: no blast radius
}
