package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/catalogsync"
	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/jobs"
	"github.com/portico-dev/portico/app/templating"
	"github.com/portico-dev/portico/app/upgrade"
)

// upgrades is the template-upgrade flow of an App whose templates come
// from a platform repository; nil otherwise (embedded or directory
// templates have no history to render a repository's version from).
type upgrades struct {
	worker   *upgrade.Worker
	triggers *upgrade.Triggers
}

func (s *Server) newUpgrades(cfg *config.Config, apps *gh.Apps) *upgrades {
	if cfg.Platform.Repository == "" {
		return nil
	}
	u := cfg.Templates.Upgrades.WithDefaults()
	flow := upgrade.NewFlow(upgrade.NewApps(apps, cfg.Platform.Repository), s.adoption)
	return &upgrades{
		worker:   upgrade.NewWorker(flow, s.upgradeMetrics, u.PerHour, s.log),
		triggers: upgrade.NewTriggers(flow, s.queue, centralUses{s: s}, s.log),
	}
}

// upgradeQueue gives the template upgrade queue its own workers.
func upgradeQueue(cfg *config.Config) func(*river.Config) {
	return func(rc *river.Config) {
		rc.Queues[upgrade.Queue] = river.QueueConfig{MaxWorkers: cfg.Templates.Upgrades.WithDefaults().Concurrency}
	}
}

// pushRoute routes a push to the catalog sync and, when it moves the
// platform repository's templates, to the upgrade fan-out.
func pushRoute(sync func(context.Context, *jobs.Delivery) ([]river.JobArgs, bool, error), platformRepo string) func(context.Context, *jobs.Delivery) ([]river.JobArgs, bool, error) {
	return func(ctx context.Context, d *jobs.Delivery) ([]river.JobArgs, bool, error) {
		args, handled, err := sync(ctx, d)
		if err != nil {
			return nil, false, err
		}
		fan, err := upgrade.PushJobs(platformRepo, d.Payload)
		if err != nil {
			return nil, false, err
		}
		return append(args, fan...), handled || len(fan) > 0, nil
	}
}

// upgradeWork runs the upgrade worker of the App of the moment; an App
// without a platform repository has none, and drops the job.
func (s *Server) upgradeWork(a *appMode) work[upgrade.Args] {
	if a.upgrades == nil {
		return func(context.Context, *river.Job[upgrade.Args]) error { return nil }
	}
	return a.upgrades.worker.Work
}

func (s *Server) fanOutWork(a *appMode) work[upgrade.FanOutArgs] {
	if a.upgrades == nil {
		return func(context.Context, *river.Job[upgrade.FanOutArgs]) error { return nil }
	}
	return a.upgrades.triggers.FanOut
}

// syncedUpgrades adapts the upgrade triggers to what a catalog sync
// tells.
type syncedUpgrades struct{ t *upgrade.Triggers }

func (u syncedUpgrades) Synced(ctx context.Context, installation int64, owner, repo string, uses []catalogsync.TemplateUse) error {
	out := make([]upgrade.Use, len(uses))
	for i, x := range uses {
		out[i] = upgrade.Use{Owner: owner, Repo: repo, Template: x.Template, Version: x.Version}
	}
	return u.t.Synced(ctx, installation, out)
}

// centralUses lists the generated repositories the central catalog
// records: each entity with the source-template and template-version
// annotations, by the repository it was recorded from.
type centralUses struct{ s *Server }

func (c centralUses) Generated(ctx context.Context) ([]upgrade.Use, error) {
	c.s.refresher.refresh()
	repo, err := git.PlainOpen(filepath.Join(c.s.cfg.DataDir, catalogDir))
	if err != nil {
		return nil, fmt.Errorf("open the central catalog: %w", err)
	}
	ref, err := repo.Reference(catalog.Branch, true)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the central catalog's branch: %w", err)
	}
	commit, err := repo.CommitObject(ref.Hash())
	if err != nil {
		return nil, fmt.Errorf("read the central catalog's tip: %w", err)
	}
	root, err := commit.Tree()
	if err != nil {
		return nil, err
	}
	sub, err := root.Tree(catalog.Root)
	if errors.Is(err, object.ErrDirectoryNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return walkUses(ctx, repo, sub)
}

func walkUses(ctx context.Context, repo *git.Repository, sub *object.Tree) ([]upgrade.Use, error) {
	seen := map[upgrade.Use]bool{}
	var out []upgrade.Use
	w := object.NewTreeWalker(sub, true, nil)
	defer w.Close()
	for ctx.Err() == nil {
		name, e, err := w.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("list the central catalog: %w", err)
		}
		if e.Mode != filemode.Regular || !strings.HasSuffix(name, ".yaml") {
			continue
		}
		u, ok, err := entityUse(repo, e.Hash)
		if err != nil {
			return nil, err
		}
		if ok && !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return nil, ctx.Err()
}

// entityUse reads one recorded entity's template annotations.
func entityUse(repo *git.Repository, h plumbing.Hash) (upgrade.Use, bool, error) {
	b, err := repo.BlobObject(h)
	if err != nil {
		return upgrade.Use{}, false, fmt.Errorf("read catalog entity %s: %w", h, err)
	}
	if b.Size > descriptor.DefaultMaxBytes {
		return upgrade.Use{}, false, nil
	}
	r, err := b.Reader()
	if err != nil {
		return upgrade.Use{}, false, err
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return upgrade.Use{}, false, err
	}
	f := descriptor.Parse(data, descriptor.DefaultMaxBytes)
	if len(f.Documents) == 0 || f.Documents[0].Root == nil {
		return upgrade.Use{}, false, nil
	}
	ann := f.Documents[0].Root.Get("metadata").Get("annotations")
	src, _ := ann.Get(catalog.AnnotationSourceRepo).Text()
	ref, _ := ann.Get(templating.SourceTemplateAnnotation).Text()
	version, _ := ann.Get(templating.VersionAnnotation).Text()
	owner, name, ok := strings.Cut(src, "/")
	template := ref[strings.LastIndexAny(ref, ":/")+1:]
	if !ok || template == "" || version == "" {
		return upgrade.Use{}, false, nil
	}
	return upgrade.Use{Owner: owner, Repo: name, Template: template, Version: version}, true, nil
}
