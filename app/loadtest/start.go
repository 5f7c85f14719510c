package loadtest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"

	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/githubtest"
	"github.com/portico-dev/portico/app/server"
)

// Running is a fake GitHub and an in-process portico App installed on it,
// started by Start; Stop ends both.
type Running struct {
	Env
	stop func() error
}

// Stop shuts portico down, then the fake GitHub, and removes their data.
func (r *Running) Stop() error { return r.stop() }

// Start runs a fake GitHub on loopback with an App installed on acme/web,
// and a portico server for that App in this process, configured by cfg
// (its data directory, GitHub URL and App credentials are set here; nil
// means the defaults). log receives both servers' logs.
func Start(ctx context.Context, cfg *config.Config, log *slog.Logger) (*Running, error) {
	dir, err := os.MkdirTemp("", "portico-load-")
	if err != nil {
		return nil, err
	}
	gh, err := githubtest.Start(githubtest.WithDataDir(dir+"/github"), githubtest.WithResponseValidation(false), githubtest.WithLogger(log))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	cleanup := func() error { gh.Close(); return os.RemoveAll(dir) }
	ln, app, env, err := install(gh)
	if err != nil {
		return nil, errors.Join(err, cleanup())
	}
	stop, err := serve(ctx, appConfig(cfg, dir, gh, app), ln, log)
	if err != nil {
		return nil, errors.Join(err, cleanup())
	}
	return &Running{Env: env, stop: func() error { return errors.Join(stop(), cleanup()) }}, nil
}

// install creates the App, acme/web and the installation, and the
// listener portico will serve the App's webhooks on.
func install(gh *githubtest.Server) (net.Listener, githubtest.App, Env, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, githubtest.App{}, Env{}, err
	}
	env := Env{GitHub: gh, Owner: "acme", Repo: "web"}
	app, err := gh.CreateApp(githubtest.AppOptions{WebhookURL: "http://" + ln.Addr().String() + "/webhooks", WebhookSecret: "load"})
	if err == nil {
		err = gh.CreateRepo("acme", "web", "main")
	}
	if err == nil {
		_, err = gh.Commit("acme", "web", "main", githubtest.Files{"README.md": githubtest.Text("# web\n")}, "init")
	}
	if err == nil {
		env.Installation, err = gh.CreateInstallation(app.ID, "acme", "web")
	}
	if err != nil {
		ln.Close()
		return nil, app, Env{}, fmt.Errorf("prepare the fake GitHub: %w", err)
	}
	return ln, app, env, nil
}

// appConfig is cfg, or the defaults, for app on gh, with its data in dir.
func appConfig(cfg *config.Config, dir string, gh *githubtest.Server, app githubtest.App) *config.Config {
	if cfg == nil {
		cfg = config.Default()
	}
	c := *cfg
	c.DataDir, c.GitHub.URL, c.GitHub.AppID = dir+"/portico", gh.URL(), app.ID
	c.GitHub.PrivateKey, c.GitHub.WebhookSecret = config.Secret(app.PrivateKeyPEM), config.Secret(app.WebhookSecret)
	return &c
}

// serve runs portico on ln until the returned stop is called.
func serve(ctx context.Context, cfg *config.Config, ln net.Listener, log *slog.Logger) (func() error, error) {
	ctx, cancel := context.WithCancel(ctx)
	srv, err := server.New(ctx, cfg, log)
	if err != nil {
		cancel()
		ln.Close()
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln) }()
	return func() error { cancel(); return <-done }, nil
}
