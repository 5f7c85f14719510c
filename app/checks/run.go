package checks

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/checkrun"
	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/jobs"
	"github.com/portico-dev/portico/app/policy"
	"github.com/portico-dev/portico/app/report"
	"github.com/portico-dev/portico/app/validate"
)

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
	github   GitHub
	policies Policies
	catalogs Catalogs
	publish  checkrun.Config
	matcher  validate.Matcher
	maxBytes int64
	log      *slog.Logger
	now      func() time.Time
	// Location targets: checked when checkLocations, see WithLocations.
	checkLocations bool
	locationServer string
	locationHosts  []string
	docsBase       string // "": report.DocsBase
	// Scorecards: none when scorecards is nil, see WithScorecards.
	scorecards Scorecards
	failBelow  string
	facts      *factsCache
}

// NewRunner returns a Runner that reads pull requests and publishes check
// runs through gh.
func NewRunner(github GitHub, policies Policies, log *slog.Logger) *Runner {
	m, _ := validate.NewMatcher(nil)
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Runner{github: github, policies: policies, matcher: m, log: log, now: time.Now}
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

// WithPublishing sets how check runs are published: the annotation cap
// and when a slow check is shown in progress.
func (r *Runner) WithPublishing(c checkrun.Config) *Runner {
	r.publish = c
	return r
}

// WithDocsBase starts the links to portico's rule documentation at base, a
// mirror of its repository, rather than at report.DocsBase.
func (r *Runner) WithDocsBase(base string) *Runner {
	r.docsBase = base
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
	log := jobs.Logger(ctx, r.log).With("installation", a.InstallationID, "repository", a.Owner+"/"+a.Repo, "pr", a.Number, "sha", a.HeadSHA)
	repo, err := r.github.Repo(a.InstallationID, a.Owner, a.Repo)
	if err != nil {
		return river.JobCancel(fmt.Errorf("installation client: %w", err))
	}
	api, err := r.github.Checks(a.InstallationID)
	if err != nil {
		return river.JobCancel(fmt.Errorf("installation client: %w", err))
	}
	ctx = gh.WithPriority(ctx, gh.Interactive, fmt.Sprintf("%s/%s#%d", a.Owner, a.Repo, a.Number))
	err = r.check(ctx, repo, api, a, log)
	return r.jobError(log, err)
}

// jobError maps a failure to what River should do with the job.
func (r *Runner) jobError(log *slog.Logger, err error) error {
	if err == nil || isSuperseded(err) {
		return err
	}
	return gh.JobError(log, "pull request check", err, r.now())
}

// check runs the whole pipeline for one head: find the pull requests,
// read and validate the changed descriptors, publish the check run.
func (r *Runner) check(ctx context.Context, repo Repo, api checkrun.API, a CheckArgs, log *slog.Logger) error {
	numbers, err := r.pullNumbers(ctx, repo, a, log)
	if err != nil {
		return err
	}
	t := checkrun.Target{Owner: a.Owner, Repo: a.Repo, HeadSHA: a.HeadSHA, Name: CheckName}
	pub, err := checkrun.New(api, r.publish).Track(ctx, t, func(ctx context.Context) (checkrun.Output, error) {
		return r.evaluate(ctx, repo, a, numbers, log)
	})
	if err != nil {
		return err
	}
	log.Info("pull request checked", "check_run", pub.RunID, "writes", pub.Writes,
		"annotations", pub.Annotated, "omitted", pub.Omitted, "superseded_run", pub.Superseded)
	return nil
}

// evaluate validates the change and renders what the check run shows.
func (r *Runner) evaluate(ctx context.Context, repo Repo, a CheckArgs, numbers []int, log *slog.Logger) (checkrun.Output, error) {
	pol, err := r.policies.Policy(ctx, a.InstallationID)
	if err != nil {
		return checkrun.Output{}, err
	}
	chk := validate.NewChecker(pol, r.maxBytes)
	if r.checkLocations {
		chk = chk.WithLocations(r.locationScope(a))
	}
	cat := r.catalog(ctx, log)
	if cat != nil {
		chk = chk.WithReferences(validate.References{Catalog: cat})
	}
	changed, err := changes(ctx, repo, numbers)
	if err != nil {
		return checkrun.Output{}, err
	}
	res, err := r.validateChanges(ctx, repo, a.HeadSHA, changed, chk)
	if err != nil {
		return checkrun.Output{}, err
	}
	res.catalog = cat
	if res.scores, err = r.score(ctx, repo, scoreJob{a: a, numbers: numbers, changes: firstOf(changed), cat: cat, maxBytes: chk.MaxBytes()}, res); err != nil {
		return checkrun.Output{}, err
	}
	logScores(log, res.scores)
	var docs []policy.RuleDoc
	if pol != nil {
		docs = pol.RuleDocs()
	}
	res.rules = report.PolicyRules(r.docsBase, docs)
	if err := r.current(ctx, repo, a, log); err != nil {
		return checkrun.Output{}, err
	}
	return r.output(res), nil
}

// pullNumbers returns the pull requests to check: the one the event named,
// or the open ones whose head is the commit.
func (r *Runner) pullNumbers(ctx context.Context, repo Repo, a CheckArgs, log *slog.Logger) ([]int, error) {
	if a.Number == 0 {
		return repo.PullRequestsWithCommit(ctx, a.HeadSHA)
	}
	if err := r.current(ctx, repo, a, log); err != nil {
		return nil, err
	}
	return []int{a.Number}, nil
}

// current fails with a superseded error when an automatic check's head
// is no longer its pull request's (or the pull request was closed): the
// check no longer decides anything, and the newer head has a check of its
// own. It is asked before the work, and again before anything is
// written, so that a push during a check spares the older head's writes
// (GitHub Actions' cancel-in-progress, for checks). A check someone asked
// for again always runs.
func (r *Runner) current(ctx context.Context, repo Repo, a CheckArgs, log *slog.Logger) error {
	if a.Rerun || a.Number == 0 {
		return nil
	}
	pr, err := repo.PullRequest(ctx, a.Number)
	if err != nil {
		return err
	}
	if pr.Head == a.HeadSHA && pr.Open {
		return nil
	}
	why := fmt.Sprintf("pull request #%d moved on to %s", a.Number, pr.Head)
	if !pr.Open {
		why = fmt.Sprintf("pull request #%d is closed", a.Number)
	}
	log.Info("check superseded: nothing published", "reason", why)
	return fmt.Errorf("%w: %w", checkrun.ErrNotNeeded, superseded(why))
}

// result is what the check found.
type result struct {
	files   []*report.File
	summary report.Summary
	catalog *catalog.Catalog // nil: no blast radius
	rules   *report.Rules
	// skeletons are the changed template skeletons, not checked
	// (descriptor.IsSkeleton).
	skeletons []string
	heads     map[string][]byte // changed descriptors as read at the head, by path
	scores    *scores           // nil: no scorecard section
}
