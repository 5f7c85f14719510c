package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/portico-dev/portico/app/loadgen"
)

// runDevLoad sends signed pull_request.synchronize deliveries to a portico
// server and prints throughput and latency. By default each carries
// GitHub's recorded payload (about 24 KB); --payload small sends 400 bytes.
// With --scenario it measures pull request checks instead (see
// devscenario.go).
func runDevLoad(ctx context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("dev load", "dev load --url URL --secret S [flags]   or   dev load --scenario burst|pushes|bulk|large [--count N]", stdio.Err)
	scenario := fs.String("scenario", "", "measure pull request checks against a fake GitHub and an in-process portico: burst, pushes, bulk or large (--count sets N)")
	limits := fs.String("write-limits", "github.com", "with --scenario: portico's github.write_limits")
	url := fs.String("url", "http://127.0.0.1:8080/webhooks", "webhook endpoint (use a server on this machine)")
	secret := fs.String("secret", "", "webhook secret to sign with")
	count := fs.Int("count", 10000, "deliveries to send")
	conc := fs.Int("concurrency", 32, "deliveries in flight at once")
	rate := fs.Int("rate", 0, "deliveries due per second, open loop, latency counted from each one's due time (0: as fast as the server answers)")
	payload := fs.String("payload", string(loadgen.PayloadGitHub), "payload: github (GitHub's recorded pull_request.synchronize, about 24 KB) or small (about 400 bytes)")
	pr := loadgen.PullRequest{}
	fs.Int64Var(&pr.Installation, "installation", 1, "installation id in the payloads")
	repo := fs.String("repo", "acme/web", "owner/name in the payloads")
	fs.IntVar(&pr.Number, "pr", 1, "pull request number in the payloads")
	fs.StringVar(&pr.HeadSHA, "sha", strings.Repeat("a", 40), "head SHA in the payloads")
	if rest, err := parseArgs(fs, args); err != nil || len(rest) > 0 {
		return ExitUsage, fmt.Errorf("dev load: %w", firstErr(err, usagef("no arguments expected")))
	}
	if *scenario != "" {
		n := 0
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "count" {
				n = *count
			}
		})
		return runScenario(ctx, *scenario, n, *limits, stdio)
	}
	var ok bool
	if pr.Owner, pr.Repo, ok = strings.Cut(*repo, "/"); !ok || *count <= 0 {
		return ExitUsage, usagef("dev load: --repo is owner/name and --count positive")
	}
	body, err := loadgen.ParsePayload(*payload)
	if err != nil {
		return ExitUsage, usagef("dev load: --%v", err)
	}
	ds := make([]loadgen.Delivery, *count)
	for i := range ds {
		ds[i] = loadgen.Synchronize(pr, body)
	}
	res := loadgen.Run(ctx, loadgen.Options{URL: *url, Secret: *secret, Concurrency: *conc, Rate: *rate}, ds)
	fmt.Fprintln(stdio.Out, res)
	if res.Failed > 0 {
		return ExitFindings, nil
	}
	return ExitOK, nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
