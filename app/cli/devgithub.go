package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"

	"github.com/portico-dev/portico/app/githubtest"
)

// devGitHubOptions are the flags of `portico dev github`.
type devGitHubOptions struct {
	listen        string
	dataDir       string
	webhookURL    string
	webhookSecret string
	publicURL     string
}

// runDevGitHub runs the fake GitHub until interrupted, so that people can
// try `portico serve` without a GitHub organisation and load tests can
// drive the real binaries.
func runDevGitHub(ctx context.Context, args []string, stdio IO) (int, error) {
	var o devGitHubOptions
	fs := newFlagSet("dev github", "dev github [--listen ADDR] [--data DIR] [--webhook-url URL] [--webhook-secret S]", stdio.Err)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:3000", "address to serve on")
	fs.StringVar(&o.dataDir, "data", "", "directory for the bare repositories and App keys (default: a temporary directory removed on exit)")
	fs.StringVar(&o.webhookURL, "webhook-url", "", "webhook URL of Apps created without one, e.g. http://127.0.0.1:8080/webhooks")
	fs.StringVar(&o.webhookSecret, "webhook-secret", "", "webhook secret of Apps created without one (default: random per App)")
	fs.StringVar(&o.publicURL, "public-url", "", "base URL clients reach the fake at (default: http://LISTEN)")
	rest, err := parseArgs(fs, args)
	if err != nil {
		return ExitUsage, err
	}
	if len(rest) > 0 {
		return ExitUsage, usagef("dev github takes no arguments")
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
