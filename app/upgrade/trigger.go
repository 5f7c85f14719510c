package upgrade

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/jobs"
	"github.com/portico-dev/portico/app/templating"
)

// Use is one repository's use of a template: the version its descriptor
// or answers say it is at.
type Use struct {
	Owner, Repo       string
	Template, Version string
}

// Catalog lists the repositories the central catalog records as generated
// from a template: entities with backstage.io/source-template and
// portico.dev/template-version annotations.
type Catalog interface {
	Generated(ctx context.Context) ([]Use, error)
}

// Inserter queues jobs from inside a job; *jobs.Queue is one.
type Inserter interface {
	Insert(ctx context.Context, args ...river.JobArgs) error
}

// Triggers queues upgrade jobs: for every repository behind a template
// the platform repository moved on (FanOut), and for a repository a
// catalog sync finds behind (Synced).
type Triggers struct {
	flow    *Flow
	jobs    Inserter
	catalog Catalog
	log     *slog.Logger
	now     func() time.Time

	mu   sync.Mutex
	tips map[int64]tip // the platform's tip per installation, briefly
}

type tip struct {
	sha string
	at  time.Time
}

// tipTTL is how long a platform tip read for a sync serves the next
// syncs: a burst of syncs reads it once.
const tipTTL = 30 * time.Second

// NewTriggers returns the triggers of flow's jobs, queued on jobs.
func NewTriggers(flow *Flow, jobs Inserter, catalog Catalog, log *slog.Logger) *Triggers {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Triggers{flow: flow, jobs: jobs, catalog: catalog, log: log, now: time.Now, tips: map[int64]tip{}}
}

// FanOut lists the templates at the pushed commit and queues an upgrade of
// every repository of the installation's account that the central
// catalog records at an older version of one of them.
func (t *Triggers) FanOut(ctx context.Context, job *river.Job[FanOutArgs]) error {
	a := job.Args
	log := jobs.Logger(ctx, t.log).With("installation", a.InstallationID, "commit", a.Commit)
	ctx = gh.WithPriority(ctx, gh.Bulk, "template-upgrade-fanout")
	platform, err := t.flow.conn.Platform(a.InstallationID)
	if err != nil {
		return river.JobCancel(err)
	}
	fsys, err := platform.At(ctx, a.Commit)
	if err != nil {
		return gh.JobError(log, "template upgrade fan-out", err, t.now())
	}
	ts, _ := templating.List(fsys)
	uses, err := t.catalog.Generated(ctx)
	if err != nil {
		return fmt.Errorf("list generated repositories: %w", err)
	}
	var queue []river.JobArgs
	for _, u := range uses {
		if !strings.EqualFold(u.Owner, a.Account) {
			continue
		}
		t.flow.adoption.Observe(u.Owner+"/"+u.Repo, u.Template, u.Version)
		if target := templating.Find(ts, u.Template); target != nil && behind(u.Version, target.Version) {
			queue = append(queue, Args{InstallationID: a.InstallationID, Owner: u.Owner, Repo: u.Repo,
				Template: u.Template, Version: target.Version.String()})
		}
	}
	if err := t.jobs.Insert(ctx, queue...); err != nil {
		return fmt.Errorf("queue template upgrades: %w", err)
	}
	log.Info("template upgrades queued", "templates", len(ts), "generated", len(uses), "queued", len(queue))
	return nil
}

// behind reports whether version is older than target; a version that
// does not parse is behind (the job reads the answers, the authority).
func behind(version string, target *semver.Version) bool {
	v, err := semver.NewVersion(version)
	return err != nil || v.LessThan(target)
}

// Synced hears of the templates a synced repository says it was generated
// from, and queues its upgrade when the platform's default branch holds a
// newer version of one.
func (t *Triggers) Synced(ctx context.Context, installation int64, uses []Use) error {
	if len(uses) == 0 {
		return nil
	}
	for _, u := range uses {
		t.flow.adoption.Observe(u.Owner+"/"+u.Repo, u.Template, u.Version)
	}
	platform, err := t.flow.conn.Platform(installation)
	if err != nil {
		return err
	}
	sha, err := t.tip(ctx, installation, platform)
	if err != nil {
		return err
	}
	sides := t.flow.sidesFor(installation, platform)
	var queue []river.JobArgs
	for _, u := range uses {
		target, err := sides.Side(ctx, sha, u.Template)
		if err != nil {
			continue // a template the platform no longer has
		}
		if behind(u.Version, target.Template.Version) {
			queue = append(queue, Args{InstallationID: installation, Owner: u.Owner, Repo: u.Repo,
				Template: u.Template, Version: target.Template.Version.String(), Synced: true})
		}
	}
	return t.jobs.Insert(ctx, queue...)
}

func (t *Triggers) tip(ctx context.Context, installation int64, platform Platform) (string, error) {
	t.mu.Lock()
	c, ok := t.tips[installation]
	t.mu.Unlock()
	if ok && t.now().Sub(c.at) < tipTTL {
		return c.sha, nil
	}
	sha, err := platform.Tip(ctx)
	if err != nil {
		return "", fmt.Errorf("platform configuration tip: %w", err)
	}
	t.mu.Lock()
	t.tips[installation] = tip{sha: sha, at: t.now()}
	t.mu.Unlock()
	return sha, nil
}

// maxListedCommits is how many commits GitHub lists in a push payload.
const maxListedCommits = 20

var shaPattern = regexp.MustCompile(`^[0-9a-f]{40}$`)

type pushPayload struct {
	Ref     string `json:"ref"`
	After   string `json:"after"`
	Deleted bool   `json:"deleted"`
	Forced  bool   `json:"forced"`
	Commits []struct {
		Added    []string `json:"added"`
		Modified []string `json:"modified"`
		Removed  []string `json:"removed"`
	} `json:"commits"`
	Installation *struct {
		ID int64 `json:"id"`
	} `json:"installation"`
	Repository *struct {
		FullName      string `json:"full_name"`
		DefaultBranch string `json:"default_branch"`
		Owner         struct {
			Login string `json:"login"`
		} `json:"owner"`
	} `json:"repository"`
}

// PushJobs returns the fan-out a push gives: one when it moves the
// default branch of platformRepo ("owner/name") and touches templates/
// (or may, when GitHub does not list every commit's files).
func PushJobs(platformRepo string, payload []byte) ([]river.JobArgs, error) {
	var p pushPayload
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, fmt.Errorf("decode push payload: %w", err)
	}
	r := p.Repository
	if r == nil || platformRepo == "" || !strings.EqualFold(r.FullName, platformRepo) || r.DefaultBranch == "" ||
		p.Ref != "refs/heads/"+r.DefaultBranch || p.Deleted || !shaPattern.MatchString(p.After) || !touchesTemplates(&p) {
		return nil, nil
	}
	if p.Installation == nil || p.Installation.ID <= 0 {
		return nil, fmt.Errorf("payload has no installation")
	}
	return []river.JobArgs{FanOutArgs{InstallationID: p.Installation.ID, Account: r.Owner.Login, Commit: p.After}}, nil
}

func touchesTemplates(p *pushPayload) bool {
	if len(p.Commits) >= maxListedCommits || (len(p.Commits) == 0 && p.Forced) {
		return true
	}
	prefix := templating.TemplatesDir + "/"
	for _, c := range p.Commits {
		for _, list := range [][]string{c.Added, c.Modified, c.Removed} {
			for _, f := range list {
				if strings.HasPrefix(f, prefix) {
					return true
				}
			}
		}
	}
	return false
}
