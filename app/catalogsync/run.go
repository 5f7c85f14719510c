package catalogsync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/checkrun"
	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/jobs"
	"github.com/portico-dev/portico/app/platform"
	"github.com/portico-dev/portico/app/validate"
)

// maxDescriptors bounds the descriptor files read from one commit, so a
// repository cannot spend the installation's rate limit on one sync.
const maxDescriptors = 1000

// Clients gives the API client of an installation.
type Clients interface {
	Installation(id int64) (*github.Client, error)
}

// Syncer records a source in the catalog; *catalog.Store is one.
type Syncer interface {
	Sync(ctx context.Context, src catalog.Source) (catalog.Result, error)
}

// Runner does SyncArgs jobs.
type Runner struct {
	clients Clients
	store   Syncer
	matcher validate.Matcher
	log     *slog.Logger
	now     func() time.Time
	syncs   *prometheus.CounterVec // nil: not counted
	limits  RateLimits             // nil: discovered syncs keep no reserve
	checks  checkrun.Installations
	publish checkrun.Config
	// scorecards judge what is recorded (nil: no scores), with the
	// groups of catalogs.
	scorecards Scorecards
	catalogs   Catalogs
	upgrades   Upgrades // nil: no template upgrades follow syncs
}

// NewRunner returns a Runner that records into store.
func NewRunner(clients Clients, store Syncer, log *slog.Logger) *Runner {
	m, _ := validate.NewMatcher(nil)
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Runner{clients: clients, store: store, matcher: m, log: log, now: time.Now, checks: checkrun.FromClients(clients, 0)}
}

// Work records one repository's descriptors at one commit. Errors that a
// retry cannot fix cancel the job; rate limits snooze it.
func (r *Runner) Work(ctx context.Context, job *river.Job[SyncArgs]) error {
	a := job.Args
	log := jobs.Logger(ctx, r.log).With("installation", a.InstallationID, "repository", a.Owner+"/"+a.Repo, "sha", a.HeadSHA)
	ctx = gh.WithPriority(ctx, gh.Bulk, a.Owner+"/"+a.Repo)
	if wait, ok := r.reserveWait(a.InstallationID); ok && a.Discovered {
		log.Info("discovered sync waits for the rate limit reserve to refill", "wait", wait)
		return river.JobSnooze(wait)
	}
	c, err := r.clients.Installation(a.InstallationID)
	if err != nil {
		return river.JobCancel(fmt.Errorf("installation client: %w", err))
	}
	if a.HeadSHA, err = r.tip(ctx, c, a); err != nil {
		if errors.Is(err, errEmptyRepository) {
			log.Info("empty repository: nothing to record")
			return nil
		}
		return r.jobError(log, err)
	}
	if a.HeadSHA != job.Args.HeadSHA {
		log = log.With("tip", a.HeadSHA)
	}
	res, err := r.sync(ctx, log, c, a)
	if errors.Is(err, catalog.ErrRemoved) {
		log.Info("the repository left the catalog while this sync read it: not recorded", "error", err)
		return nil
	}
	if err != nil {
		r.count(outcomeFailed)
		return r.jobError(log, err)
	}
	if res.Failed() {
		r.count(outcomeRefused)
	} else {
		r.count(outcomeRecorded)
	}
	log.Info("catalog synced", "changes", res.Summary(), "commit", res.Commit,
		"invalid", len(res.Invalid), "conflicts", len(res.Conflicts))
	if !res.Failed() {
		return nil
	}
	pub, err := r.postCheckRun(ctx, a, res)
	if err != nil {
		return r.jobError(log, err)
	}
	log.Info("unrecorded entities reported", "check_run", pub.RunID, "writes", pub.Writes, "annotations", pub.Annotated, "omitted", pub.Omitted)
	return nil
}

// jobError maps a failure to what River should do with the job.
func (r *Runner) jobError(log *slog.Logger, err error) error {
	return gh.JobError(log, "catalog sync", err, r.now())
}

// tip returns the commit to record: the branch's tip now, so that syncs
// only ever move the catalog forward whatever order jobs run in.
// A discovered sync has no HeadSHA: the tip is all it records.
func (r *Runner) tip(ctx context.Context, c *github.Client, a SyncArgs) (string, error) {
	if a.Branch == "" {
		if !shaPattern.MatchString(a.HeadSHA) {
			return "", river.JobCancel(errors.New("sync names neither a commit nor a branch"))
		}
		return a.HeadSHA, nil
	}
	commit, _, err := c.Repositories.GetCommit(ctx, a.Owner, a.Repo, a.Branch, nil)
	var ge *github.ErrorResponse
	if errors.As(err, &ge) && ge.Response != nil && ge.Response.StatusCode == http.StatusConflict {
		return "", errEmptyRepository
	}
	if err != nil {
		return "", fmt.Errorf("tip of %s: %w", a.Branch, err)
	}
	sha := commit.GetSHA()
	if !shaPattern.MatchString(sha) {
		return "", fmt.Errorf("tip of %s: GitHub answered commit id %q", a.Branch, sha)
	}
	if a.HeadSHA != "" && sha != a.HeadSHA {
		r.log.Info("the branch moved since the push: recording its tip", "repository", a.Owner+"/"+a.Repo, "pushed", a.HeadSHA, "tip", sha)
	}
	return sha, nil
}

// errEmptyRepository is GitHub's 409 for a repository without commits.
var errEmptyRepository = errors.New("repository is empty")

// sync reads the descriptors at the commit, scores them and records
// them.
func (r *Runner) sync(ctx context.Context, log *slog.Logger, c *github.Client, a SyncArgs) (catalog.Result, error) {
	readAt := r.now()
	tree, _, err := c.Git.GetTree(ctx, a.Owner, a.Repo, a.HeadSHA, true)
	if err != nil {
		return catalog.Result{}, fmt.Errorf("read tree of %s: %w", a.HeadSHA, err)
	}
	if tree.GetTruncated() {
		return catalog.Result{}, river.JobCancel(fmt.Errorf("tree of %s is too large to list", a.HeadSHA))
	}
	ents, err := r.read(ctx, c, a, tree)
	if err != nil {
		return catalog.Result{}, err
	}
	src := catalog.Source{Repo: a.Owner + "/" + a.Repo, RepoID: a.RepoID, URL: a.HTMLURL, Commit: a.HeadSHA, Entities: ents, ReadAt: readAt}
	if err := r.score(ctx, log, c, a, tree.Entries, &src); err != nil {
		return catalog.Result{}, err
	}
	res, err := r.store.Sync(ctx, src)
	if err == nil {
		r.tellUpgrades(ctx, log, a, ents)
	}
	return res, err
}

// read fetches and parses every descriptor file of the commit's tree.
func (r *Runner) read(ctx context.Context, c *github.Client, a SyncArgs, tree *github.Tree) ([]catalog.Entity, error) {
	var out []catalog.Entity
	files := newTreeFiles(c, a, tree.Entries)
	n := 0
	for _, e := range tree.Entries {
		if e.GetType() != "blob" || !r.matcher.Match(e.GetPath()) {
			continue
		}
		if n++; n > maxDescriptors {
			return nil, river.JobCancel(fmt.Errorf("more than %d descriptor files at %s", maxDescriptors, a.HeadSHA))
		}
		if int64(e.GetSize()) > descriptor.DefaultMaxBytes {
			out = append(out, tooLarge(e.GetPath(), int64(e.GetSize())))
			continue
		}
		data, err := blob(ctx, c, a, e.GetSHA())
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", e.GetPath(), err)
		}
		ents, err := catalog.ParseFileIn(ctx, e.GetPath(), data, descriptor.DefaultMaxBytes, files)
		if err != nil {
			return nil, err
		}
		out = append(out, ents...)
	}
	return out, nil
}

func blob(ctx context.Context, c *github.Client, a SyncArgs, sha string) ([]byte, error) {
	return platform.Blob(ctx, c, a.Owner, a.Repo, sha)
}

// tooLarge is a file refused before it is fetched.
func tooLarge(path string, size int64) catalog.Entity {
	msg := fmt.Sprintf("file is %d bytes, more than the limit of %d", size, descriptor.DefaultMaxBytes)
	d := &descriptor.Document{Findings: []descriptor.Finding{{Severity: descriptor.SeverityError, Rule: descriptor.RuleSize, Message: msg, Line: 1, Column: 1}}}
	return catalog.Entity{Path: path, Document: d}
}
