package catalogsync

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/jobs"
)

// perPage is GitHub's largest page of installation repositories.
const perPage = 100

// Inserter queues follow-up jobs from inside a job; *jobs.Queue is one.
type Inserter interface {
	Insert(ctx context.Context, args ...river.JobArgs) error
}

// Discoverer does DiscoverArgs and RemoveArgs jobs: it turns an
// installation's repositories into syncs, and repositories that left it
// into one removal commit.
type Discoverer struct {
	clients Clients
	jobs    Inserter
	store   Remover
	log     *slog.Logger
	now     func() time.Time
}

// NewDiscoverer returns a Discoverer that queues syncs on jobs and
// removes from store.
func NewDiscoverer(clients Clients, jobs Inserter, store Remover, log *slog.Logger) *Discoverer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Discoverer{clients: clients, jobs: jobs, store: store, log: log, now: time.Now}
}

// Discover lists the installation's repositories a page at a time and
// queues a sync of each one worth reading. Each page's syncs are queued
// before the next page is read; a retry queues again what a failed attempt
// had queued, and those still waiting absorb the copies (SyncArgs is
// unique while it waits when Discovered).
func (d *Discoverer) Discover(ctx context.Context, job *river.Job[DiscoverArgs]) error {
	a := job.Args
	log := jobs.Logger(ctx, d.log).With("installation", a.InstallationID, "account", a.Account)
	ctx = gh.WithPriority(ctx, gh.Bulk, a.Account)
	c, err := d.clients.Installation(a.InstallationID)
	if err != nil {
		return river.JobCancel(fmt.Errorf("installation client: %w", err))
	}
	want := map[string]bool{}
	for _, r := range a.Repos {
		want[strings.ToLower(r)] = true
	}
	opts := &github.ListOptions{PerPage: perPage}
	queued, skipped := 0, 0
	for {
		list, resp, err := c.Apps.ListRepos(ctx, opts)
		if err != nil {
			return gh.JobError(log, "catalog discovery", fmt.Errorf("list installation repositories: %w", err), d.now())
		}
		var repos []*github.Repository
		if list != nil {
			repos = list.Repositories
		}
		syncs, n := d.plan(log, a.InstallationID, repos, want)
		if err := d.jobs.Insert(ctx, syncs...); err != nil {
			return fmt.Errorf("queue syncs: %w", err)
		}
		queued, skipped = queued+len(syncs), skipped+n
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	log.Info("catalog discovery queued syncs", "queued", queued, "skipped", skipped)
	return nil
}

// plan turns listed repositories into syncs: those wanted (all when want
// is empty) that are neither forks nor archived. It returns how many it
// skipped for being either, or malformed.
func (d *Discoverer) plan(log *slog.Logger, id int64, repos []*github.Repository, want map[string]bool) ([]river.JobArgs, int) {
	var out []river.JobArgs
	skipped := 0
	for _, r := range repos {
		if len(want) > 0 && !want[strings.ToLower(r.GetFullName())] {
			continue
		}
		if why := skipReason(r); why != "" {
			log.Info("catalog discovery skips a repository", "repository", r.GetFullName(), "reason", why)
			skipped++
			continue
		}
		a := SyncArgs{InstallationID: id, Owner: r.GetOwner().GetLogin(), Repo: r.GetName(), RepoID: max(r.GetID(), 0),
			HTMLURL: r.GetHTMLURL(), Branch: r.GetDefaultBranch(), Discovered: true}
		if err := checkRepoArgs(a); err != nil {
			log.Warn("catalog discovery skips a repository", "repository", r.GetFullName(), "error", err)
			skipped++
			continue
		}
		out = append(out, a)
	}
	return out, skipped
}

// skipReason says why a repository is not synced, "" when it is. A fork
// declares its upstream's entities, a certain conflict with the upstream
// (and noise when the upstream is elsewhere). An archived repository is
// read-only and retired: its entities would be stale, nothing would ever
// update them, and Backstage's own GitHub discovery leaves it out too.
// Empty repositories are listed like any other; their sync finds no
// branch tip and records nothing, because GitHub's size field, the only
// hint in the list, is recomputed lazily and is 0 for many repositories
// that are not empty.
func skipReason(r *github.Repository) string {
	switch {
	case r.GetFork():
		return "fork"
	case r.GetArchived():
		return "archived"
	}
	return ""
}
