package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"time"

	"github.com/portico-dev/portico/app/catalogsync"
	"github.com/portico-dev/portico/app/checkrun"
	"github.com/portico-dev/portico/app/checks"
	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/platform"
	"github.com/portico-dev/portico/app/policy"
	"github.com/portico-dev/portico/app/redeliver"
	"github.com/portico-dev/portico/app/scorecard"
	"github.com/portico-dev/portico/app/webhook"
)

// appMode is everything that exists once a GitHub App is configured.
type appMode struct {
	appID   int64
	apps    *gh.Apps
	webhook http.Handler
	checks  *checks.Runner
	sync    *catalogsync.Runner
	repos   *catalogsync.Discoverer // repositories coming into the installation and leaving it
	sweeper *redeliver.Sweeper
	// upgrades opens template-upgrade pull requests; nil without a
	// platform repository.
	upgrades *upgrades
}

// enterAppMode builds the App's clients, policy source, check runner and
// webhook receiver from cfg and switches the server to them.
func (s *Server) enterAppMode(ctx context.Context, cfg *config.Config) error {
	apps, err := gh.NewApps(cfg.GitHub.AppID, []byte(cfg.GitHub.PrivateKey.Reveal()), cfg.GitHub.URL,
		gh.WithRegisterer(s.reg), gh.WithLogger(s.log), gh.WithWriteLimits(writeLimits(cfg.GitHub)))
	if err != nil {
		return fmt.Errorf("github app: %w", err)
	}
	src, err := policySource(ctx, cfg.Platform, policyOptions(cfg.Policy), apps)
	if err != nil {
		return err
	}
	cards, err := src.Scorecards(ctx, scorecard.WithAllowedBuiltins(cfg.Policy.AllowBuiltins...), scorecard.WithEvalTimeout(cfg.Policy.EvalTimeout))
	if err != nil {
		return err
	}
	var opts []webhook.Option
	opts = append(opts, webhook.WithLogger(s.log), webhook.WithRegisterer(s.reg), webhook.WithIntake(s.intake))
	if cfg.InsecureSkipSignature {
		opts = append(opts, webhook.AllowUnsigned())
	}
	secret := []byte(cfg.GitHub.WebhookSecret.Reveal())
	routes := checks.Routes()
	maps.Copy(routes, catalogsync.Routes())
	routes["push"] = pushRoute(routes["push"], cfg.Platform.Repository)
	ups := s.newUpgrades(cfg, apps)
	sync := catalogsync.NewRunner(apps, s.catalog, s.log).WithRegisterer(s.reg).WithReserve(apps).
		WithChecks(checkrun.FromClients(apps, cfg.GitHub.AppID), publishing(cfg.Checks)).
		WithScorecards(cards, s.centralCatalog())
	if ups != nil {
		sync = sync.WithUpgrades(syncedUpgrades{ups.triggers})
	}
	s.app.Store(&appMode{
		appID:   cfg.GitHub.AppID,
		apps:    apps,
		webhook: webhook.New(secret, s.queue, routes, opts...),
		checks: checks.NewRunner(checks.FromClients(apps, cfg.GitHub.AppID), src, s.log).
			WithCatalog(s.centralCatalog()).WithPublishing(publishing(cfg.Checks)).
			WithLocations(webURL(cfg.GitHub.URL), cfg.Catalog.LocationHosts).WithDocsBase(cfg.DocsURL).
			WithScorecards(cards, cfg.Scorecards.FailBelow),
		sync:     sync,
		repos:    catalogsync.NewDiscoverer(apps, s.queue, s.catalog, s.log),
		sweeper:  redeliver.New(apps.App(), s.recorded, s.log),
		upgrades: ups,
	})
	s.log.Info("GitHub App configured", "app_id", cfg.GitHub.AppID, "github", cfg.GitHub.URL, "policies", cfg.Platform.Source())
	go s.checkApp(apps, cfg)
	return nil
}

// writeLimits turns github.write_limits into the installations' write
// budget: github.url's default, or the preset it names, with the kinds it
// sets replaced.
func writeLimits(g config.GitHub) gh.WriteLimits {
	wl := gh.DefaultWriteLimits(g.URL)
	w := g.WriteLimits
	switch w.Base {
	case config.WriteLimitsGitHub:
		wl = gh.GitHubWriteLimits()
	case config.WriteLimitsNone:
		wl = gh.WriteLimits{}
	}
	if w.Checks.Set {
		wl.Checks = ghLimits(w.Checks.Limits)
	}
	if w.Content.Set {
		wl.Content = ghLimits(w.Content.Limits)
	}
	return wl
}

func ghLimits(limits []config.Limit) []gh.Limit {
	out := make([]gh.Limit, len(limits))
	for i, l := range limits {
		out[i] = gh.Limit(l)
	}
	return out
}

// publishing is how every flow posts its check runs.
func publishing(c config.Checks) checkrun.Config {
	return checkrun.Config{MaxAnnotations: c.MaxAnnotations, InProgressAfter: c.InProgressAfter}
}

// policySource picks where the organisation's policies come from.
func policySource(ctx context.Context, p config.Platform, opts []policy.Option, apps *gh.Apps) (*platform.Source, error) {
	switch {
	case p.Repository != "":
		return platform.Repository(p.Repository, apps, opts...)
	case p.Dir != "":
		return platform.Fixed(ctx, os.DirFS(p.Dir), opts...)
	}
	return platform.Fixed(ctx, nil, opts...)
}

// policyOptions are the policy section's settings for the engine.
func policyOptions(p config.Policy) []policy.Option {
	return []policy.Option{
		policy.WithAllowedBuiltins(p.AllowBuiltins...),
		policy.WithEvalTimeout(p.EvalTimeout),
		policy.WithSeverity(p.Severity),
	}
}

// recorded reports whether a delivery is in the database.
func (s *Server) recorded(ctx context.Context, guid string) (bool, error) {
	var one int
	err := s.db.ReadOnly().QueryRowContext(ctx, `SELECT 1 FROM deliveries WHERE id = ?`, guid).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// sweepInterval is how often missed deliveries are looked for; the first
// sweep runs at start, when a restart's misses are waiting.
const sweepInterval = 5 * time.Minute

// sweep asks GitHub to redeliver what portico missed, once an App exists.
func (s *Server) sweep(ctx context.Context) {
	t := time.NewTicker(sweepInterval)
	defer t.Stop()
	for {
		if a := s.app.Load(); a != nil {
			if n, err := a.sweeper.Sweep(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("webhook redelivery sweep failed", "error", err, "redelivered", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// webURL is GitHub's web address for Location targets; a malformed
// github.url, which configuration refuses, leaves only relative targets.
func webURL(restBase string) string {
	web, err := config.WebURL(restBase)
	if err != nil {
		return ""
	}
	return web
}
