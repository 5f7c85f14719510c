package server

import (
	"context"
	"fmt"
	"net/http"
	"os"

	"github.com/portico-dev/portico/app/checks"
	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/platform"
	"github.com/portico-dev/portico/app/webhook"
)

// appMode is everything that exists once a GitHub App is configured.
type appMode struct {
	appID   int64
	apps    *gh.Apps
	webhook http.Handler
	checks  *checks.Runner
}

// enterAppMode builds the App's clients, policy source, check runner and
// webhook receiver from cfg and switches the server to them.
func (s *Server) enterAppMode(ctx context.Context, cfg *config.Config) error {
	apps, err := gh.NewApps(cfg.GitHub.AppID, []byte(cfg.GitHub.PrivateKey.Reveal()), cfg.GitHub.URL,
		gh.WithRegisterer(s.reg), gh.WithLogger(s.log))
	if err != nil {
		return fmt.Errorf("github app: %w", err)
	}
	src, err := policySource(ctx, cfg.Platform, apps)
	if err != nil {
		return err
	}
	var opts []webhook.Option
	opts = append(opts, webhook.WithLogger(s.log), webhook.WithRegisterer(s.reg))
	if cfg.InsecureSkipSignature {
		opts = append(opts, webhook.AllowUnsigned())
	}
	secret := []byte(cfg.GitHub.WebhookSecret.Reveal())
	s.app.Store(&appMode{
		appID:   cfg.GitHub.AppID,
		apps:    apps,
		webhook: webhook.New(secret, s.queue, checks.Routes(), opts...),
		checks:  checks.NewRunner(apps, src, cfg.GitHub.AppID, s.log),
	})
	s.log.Info("GitHub App configured", "app_id", cfg.GitHub.AppID, "github", cfg.GitHub.URL, "policies", cfg.Platform.Source())
	return nil
}

// policySource picks where the organisation's policies come from.
func policySource(ctx context.Context, p config.Platform, apps *gh.Apps) (*platform.Source, error) {
	switch {
	case p.Repository != "":
		return platform.Repository(p.Repository, apps)
	case p.Dir != "":
		return platform.Fixed(ctx, os.DirFS(p.Dir))
	}
	return platform.Fixed(ctx, nil)
}
