package server

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/google/go-github/v62/github"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/checks"
	"github.com/portico-dev/portico/app/config"
)

// catalogDir is the central catalog repository, in the data dir: the
// record itself, or the local copy of catalog.repository.
const catalogDir = "catalog.git"

// openCatalog opens the central catalog, mirroring catalog.repository
// when one is configured.
func (s *Server) openCatalog() (*catalog.Store, error) {
	opts := []catalog.Option{catalog.WithLogger(s.log), catalog.WithLocationHosts(s.cfg.Catalog.LocationHosts)}
	if repo := s.cfg.Catalog.Repository; repo != "" {
		obs, err := newPushMetrics(s.reg)
		if err != nil {
			return nil, err
		}
		opts = append(opts, catalog.WithObserver(obs))
		web, err := config.WebURL(s.cfg.GitHub.URL)
		if err != nil {
			return nil, err
		}
		owner, name, _ := strings.Cut(repo, "/")
		c := &centralAuth{server: s, owner: owner, name: name}
		opts = append(opts, catalog.WithRemote(catalog.Remote{URL: web + "/" + repo + ".git", Auth: c.auth}))
	}
	return catalog.Open(filepath.Join(s.cfg.DataDir, catalogDir), opts...)
}

// isCentral reports whether owner/name is the central catalog repository,
// whose own descriptors (the root Location) are the record, not a source:
// syncing them would record the catalog into itself at every push.
func (s *Server) isCentral(owner, name string) bool {
	return strings.EqualFold(owner+"/"+name, s.cfg.Catalog.Repository)
}

// pushMetrics counts the pushes of the catalog to GitHub.
type pushMetrics struct {
	pushes, refusals prometheus.Counter
	unpushed         prometheus.Gauge
}

func newPushMetrics(reg prometheus.Registerer) (*pushMetrics, error) {
	m := &pushMetrics{
		pushes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "portico_catalog_pushes_total",
			Help: "Catalog commits pushed to catalog.repository.",
		}),
		refusals: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "portico_catalog_push_refusals_total",
			Help: "Catalog pushes refused because another writer moved the branch first, each rebuilt and retried.",
		}),
		unpushed: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "portico_catalog_unpushed",
			Help: "1 while the local copy of the catalog holds commits GitHub lacks (a push failed; it is retried).",
		}),
	}
	for _, c := range []prometheus.Collector{m.pushes, m.refusals, m.unpushed} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register catalog metrics: %w", err)
		}
	}
	return m, nil
}

func (m *pushMetrics) Pushed(refusals int) {
	m.pushes.Inc()
	m.refusals.Add(float64(refusals))
}

func (m *pushMetrics) Unpushed(pending bool) {
	v := 0.0
	if pending {
		v = 1
	}
	m.unpushed.Set(v)
}

// centralAuth gives a token of the App's installation on the account that
// owns the central repository (which must include it), narrowed to that
// repository's contents: the token Git holds can write nothing else.
type centralAuth struct {
	server      *Server
	owner, name string
	id          atomic.Int64 // the installation, once found
}

func (c *centralAuth) auth(ctx context.Context) (transport.AuthMethod, error) {
	a := c.server.app.Load()
	if a == nil {
		return nil, errNotConfigured
	}
	id := c.id.Load()
	if id == 0 {
		var err error
		if id, err = findInstallation(ctx, a.apps.App(), c.owner); err != nil {
			return nil, err
		}
		c.id.Store(id)
	}
	tok, err := a.apps.ContentsToken(ctx, id, c.name) // this repository's contents only
	if err != nil {
		c.id.Store(0) // uninstalled and installed again: look it up anew
		return nil, err
	}
	return &githttp.BasicAuth{Username: "x-access-token", Password: tok}, nil
}

// findInstallation finds the App's installation on account.
func findInstallation(ctx context.Context, app *github.Client, account string) (int64, error) {
	opt := &github.ListOptions{PerPage: 100}
	for {
		list, resp, err := app.Apps.ListInstallations(ctx, opt)
		if err != nil {
			return 0, fmt.Errorf("list installations: %w", err)
		}
		for _, i := range list {
			if strings.EqualFold(i.GetAccount().GetLogin(), account) {
				return i.GetID(), nil
			}
		}
		if resp.NextPage == 0 {
			return 0, fmt.Errorf("the App is not installed on %s, which owns catalog.repository", account)
		}
		opt.Page = resp.NextPage
	}
}

// refreshEvery is how stale the local copy of a remote central catalog
// may get before a pull request check refreshes it (in the background:
// the check reads the copy as it is).
const refreshEvery = 30 * time.Second

// catalogRefresher keeps the local copy of a remote central catalog
// close to the remote, for the pull request checks that read it.
type catalogRefresher struct {
	server *Server
	mu     sync.Mutex
	last   time.Time
	busy   bool
}

// refresh brings the copy up to date in the background when it is due.
func (r *catalogRefresher) refresh() {
	if r.server.cfg.Catalog.Repository == "" || r.server.app.Load() == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.busy || time.Since(r.last) < refreshEvery {
		return
	}
	r.busy, r.last = true, time.Now()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := r.server.catalog.Refresh(ctx); err != nil && !errors.Is(err, errNotConfigured) {
			r.server.log.Warn("refreshing the central catalog failed", "error", err)
		}
		r.mu.Lock()
		r.busy = false
		r.mu.Unlock()
	}()
}

// centralCatalog reads the central catalog for pull request checks,
// re-reading only the entity files that changed since the last check.
func (s *Server) centralCatalog() checks.Catalogs {
	return loadedCatalog{loader: catalog.NewLoader(), path: filepath.Join(s.cfg.DataDir, catalogDir), refresher: s.refresher}
}

type loadedCatalog struct {
	loader    *catalog.Loader
	path      string
	refresher *catalogRefresher
}

func (l loadedCatalog) Catalog(ctx context.Context) (*catalog.Catalog, error) {
	l.refresher.refresh()
	c, err := l.loader.Load(ctx, l.path, "")
	if err != nil && ctx.Err() == nil {
		// Upkeep may have moved objects into a pack this load had not
		// seen yet: a second load opens the repository afresh.
		c, err = l.loader.Load(ctx, l.path, "")
	}
	return c, err
}
