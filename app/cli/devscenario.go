package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/loadtest"
)

// scenario is one of `portico dev load --scenario`'s measurements.
type scenario struct {
	count int // its default size
	help  string
	run   func(ctx context.Context, e loadtest.Env, n int) (loadtest.Result, error)
}

// scenarios are the organisation-scale figures of the pull request check.
var scenarios = map[string]scenario{
	"burst": {200, "N pull requests opened at once, each changing a descriptor", loadtest.Burst},
	"pushes": {50, "N pushes to one pull request, as fast as they come", func(ctx context.Context, e loadtest.Env, n int) (loadtest.Result, error) {
		return loadtest.Pushes(ctx, e, n, 0)
	}},
	"bulk": {1000, "a pull request opened while discovery posts N catalog sync check runs", func(ctx context.Context, e loadtest.Env, n int) (loadtest.Result, error) {
		return loadtest.Bulk(ctx, e, n, min(n, 50))
	}},
	"large": {5000, "a pull request of N broken entities (2 findings each) beside one of a single one", loadtest.Large},
}

// scenarioTimeout bounds one scenario.
const scenarioTimeout = 30 * time.Minute

// runScenario measures a scenario against a fake GitHub and an in-process
// portico with github.com's write limits unless limits says otherwise.
func runScenario(ctx context.Context, name string, n int, limits string, stdio IO) (int, error) {
	sc, ok := scenarios[name]
	if !ok {
		return ExitUsage, usagef("dev load: unknown --scenario %q (burst, pushes, bulk or large)", name)
	}
	if n <= 0 {
		n = sc.count
	}
	cfg := config.Default()
	cfg.LogLevel = "warn"
	if err := cfg.GitHub.WriteLimits.Set(limits); err != nil {
		return ExitUsage, usagef("dev load: --write-limits: %v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, scenarioTimeout)
	defer cancel()
	fmt.Fprintf(stdio.Err, "preparing %s (%s, N=%d) against a fake GitHub with write limits %q ...\n", name, sc.help, n, limits)
	r, err := loadtest.Start(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return ExitUsage, fmt.Errorf("dev load: %w", err)
	}
	res, err := sc.run(ctx, r.Env, n)
	fmt.Fprint(stdio.Out, res)
	return exitFor(err, r.Stop())
}

func exitFor(runErr, stopErr error) (int, error) {
	if err := firstErr(runErr, stopErr); err != nil {
		return ExitFindings, fmt.Errorf("dev load: %w", err)
	}
	return ExitOK, nil
}
