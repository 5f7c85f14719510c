package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/githubtest"
)

// startAgainstFake runs a portico server in-process against a fake GitHub
// with an App installed on acme/web, and returns the fake.
func startAgainstFake(tb testing.TB) *githubtest.Server {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	gh := githubtest.New(tb, githubtest.WithResponseValidation(false))
	app, err := gh.CreateApp(githubtest.AppOptions{WebhookURL: "http://" + ln.Addr().String() + "/webhooks", WebhookSecret: "bench"})
	if err != nil {
		tb.Fatal(err)
	}
	if err := gh.CreateRepo("acme", "web", "main"); err != nil {
		tb.Fatal(err)
	}
	if _, err := gh.Commit("acme", "web", "main", githubtest.Files{"README.md": githubtest.Text("# web\n")}, "init"); err != nil {
		tb.Fatal(err)
	}
	if _, err := gh.CreateInstallation(app.ID, "acme", "web"); err != nil {
		tb.Fatal(err)
	}
	cfg := config.Default()
	cfg.DataDir, cfg.GitHub.URL, cfg.GitHub.AppID = tb.TempDir(), gh.URL(), app.ID
	cfg.GitHub.PrivateKey, cfg.GitHub.WebhookSecret = config.Secret(app.PrivateKeyPEM), config.Secret(app.WebhookSecret)
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln) }()
	tb.Cleanup(func() { cancel(); <-done })
	return gh
}

// tenDescriptors is a change of ten descriptor files, one of them broken.
func tenDescriptors(n int) githubtest.Files {
	files := githubtest.Files{}
	for i := range 10 {
		name := fmt.Sprintf("svc-%d-%d", n, i)
		if i == 9 {
			name = "broken name"
		}
		files[fmt.Sprintf("services/%d/catalog-info.yaml", i)] = githubtest.Text(fmt.Sprintf(
			"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: %s\n  description: Service %d.\n  tags: [go]\nspec:\n  type: service\n  lifecycle: experimental\n  owner: team-a\n", name, i))
	}
	return files
}

// BenchmarkPullRequestCheck measures, against the fake GitHub, the time
// from the pull_request delivery to portico's completed check run for a
// pull request that changes ten descriptors.
func BenchmarkPullRequestCheck(b *testing.B) {
	gh := startAgainstFake(b)
	var total time.Duration
	n := 0
	for b.Loop() {
		branch := fmt.Sprintf("change-%d", n)
		if _, err := gh.Commit("acme", "web", branch, tenDescriptors(n), "ten services"); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		pr, err := gh.OpenPullRequest("acme", "web", branch, "main", branch)
		if err != nil {
			b.Fatal(err)
		}
		waitCompleted(b, gh, pr.HeadSHA)
		total += time.Since(start)
		n++
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(n), "ms/check")
}

func waitCompleted(tb testing.TB, gh *githubtest.Server, sha string) {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, r := range gh.CheckRuns("acme", "web", sha) {
			if r.Status == "completed" {
				if len(r.Annotations) == 0 {
					tb.Fatalf("check run completed without the broken descriptor's annotation")
				}
				return
			}
		}
		time.Sleep(time.Millisecond)
	}
	tb.Fatalf("no completed check run on %s", sha)
}
