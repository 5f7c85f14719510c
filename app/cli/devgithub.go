package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"strings"

	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/githubtest"
	"github.com/portico-dev/portico/app/setup"
)

// devGitHubOptions are the flags of `portico dev github`.
type devGitHubOptions struct {
	listen        string
	dataDir       string
	webhookURL    string
	webhookSecret string
	publicURL     string
	createApp     string // portico's data directory, for the App's credentials
	account       string // where that App is installed
}

// devGitHubUsage is the synopsis of `portico dev github`.
const devGitHubUsage = "dev github [--listen ADDR] [--data DIR] [--webhook-url URL] [--webhook-secret S] [--create-app DIR [--account NAME]]"

// runDevGitHub runs the fake GitHub until interrupted, so that people can
// try `portico serve` without a GitHub organisation and load tests can
// drive the real binaries.
func runDevGitHub(ctx context.Context, args []string, stdio IO) (int, error) {
	var o devGitHubOptions
	fs := newFlagSet("dev github", devGitHubUsage, stdio.Err)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:3000", "address to serve on")
	fs.StringVar(&o.dataDir, "data", "", "directory for the bare repositories and App keys (default: a temporary directory removed on exit)")
	fs.StringVar(&o.webhookURL, "webhook-url", "", "webhook URL of Apps created without one, e.g. http://127.0.0.1:8080/webhooks")
	fs.StringVar(&o.webhookSecret, "webhook-secret", "", "webhook secret of Apps created without one (default: random per App)")
	fs.StringVar(&o.publicURL, "public-url", "", "base URL clients reach the fake at (default: http://LISTEN)")
	fs.StringVar(&o.createApp, "create-app", "", "create portico's App as its setup page would, install it, and save its credentials in DIR (portico's data directory)")
	fs.StringVar(&o.account, "account", "acme", "the organisation the --create-app App is installed on, for all its repositories")
	rest, err := parseArgs(fs, args)
	if err != nil {
		return ExitUsage, err
	}
	if len(rest) > 0 {
		return ExitUsage, usagef("dev github takes no arguments")
	}
	accountSet := false
	fs.Visit(func(f *flag.Flag) { accountSet = accountSet || f.Name == "account" })
	if accountSet && o.createApp == "" {
		return ExitUsage, usagef("dev github: --account names where --create-app installs the App; give both")
	}
	return o.run(ctx, stdio)
}

func (o devGitHubOptions) run(ctx context.Context, stdio IO) (int, error) {
	opts := []githubtest.Option{
		githubtest.WithListenAddr(o.listen),
		githubtest.WithWebhookDefaults(o.webhookURL, o.webhookSecret),
		githubtest.WithLogger(slog.New(slog.NewTextHandler(stdio.Err, nil))),
		githubtest.WithPublicURL(publicURL(o.listen, o.publicURL)),
	}
	if o.dataDir != "" {
		opts = append(opts, githubtest.WithDataDir(o.dataDir))
	}
	srv, err := githubtest.Start(opts...)
	if err != nil {
		return ExitUsage, fmt.Errorf("dev github: %w", err)
	}
	defer srv.Close()
	if o.createApp != "" {
		if err := o.installApp(srv, stdio); err != nil {
			return ExitUsage, fmt.Errorf("dev github: %w", err)
		}
	}
	fmt.Fprintf(stdio.Out, `fake GitHub on %[1]s
  REST API (PORTICO_GITHUB_URL): %[1]s
  admin API:                     %[1]s/_admin/   (GET it for the routes)
  Git over HTTP:                 %[1]s/OWNER/REPO.git
  data directory:                %[2]s
State other than the repositories (Apps, installations, pull requests,
check runs, deliveries) lives in memory and is gone when this stops.
`, srv.URL(), srv.Dir())
	<-ctx.Done()
	return ExitOK, nil
}

// installApp creates the App that portico's setup page would (same
// permissions and events), installs it on o.account and saves its
// credentials where `portico serve` reads them. The fake forgets its Apps
// when it stops, so each run makes a new one and replaces the last run's
// credentials; another GitHub's are never replaced.
func (o devGitHubOptions) installApp(srv *githubtest.Server, stdio IO) error {
	saved, err := config.ReadCredentials(o.createApp)
	if err != nil {
		return err
	}
	if saved != nil {
		if err := saved.CheckGitHub(o.createApp, srv.URL()); err != nil {
			return fmt.Errorf("--create-app: not replacing another GitHub's App: %w", err)
		}
	}
	a, err := srv.CreateApp(githubtest.AppOptions{Name: setup.DefaultAppName, Events: setup.Events(), Permissions: setup.Permissions(setup.Needs{})})
	if err != nil {
		return err
	}
	inst, err := srv.CreateInstallation(a.ID, o.account)
	if err != nil {
		return err
	}
	err = config.SaveCredentials(o.createApp, &config.AppCredentials{
		AppID: a.ID, Slug: a.Slug, Name: setup.DefaultAppName, Owner: githubtest.DefaultSender,
		HTMLURL: srv.URL() + "/apps/" + a.Slug, ClientID: a.ClientID, ClientSecret: config.Secret(a.ClientSecret),
		WebhookSecret: config.Secret(a.WebhookSecret), PrivateKey: config.Secret(a.PrivateKeyPEM), GitHubURL: srv.URL(),
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdio.Out, "App %s (id %d) installed on %s (installation %d); credentials saved in %s for portico serve\n",
		a.Slug, a.ID, o.account, inst, o.createApp)
	return nil
}

// publicURL is the URL the fake names itself by: the flag, or the listen
// address with a wildcard host replaced by localhost.
func publicURL(listen, flag string) string {
	if flag != "" {
		return flag
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return ""
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(strings.Trim(host, "[]"), port)
}
