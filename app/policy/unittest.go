package policy

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// TestOption configures RunTests.
type TestOption func(*testConfig)

type testConfig struct {
	run string
}

// MatchTests runs only the tests whose full name (data.<package>.<rule>)
// matches the regular expression pattern, as `opa test --run` does.
func MatchTests(pattern string) TestOption {
	return func(c *testConfig) { c.run = pattern }
}

// RunTests runs every test_* rule of the bundle in fsys, policies and
// *_test.rego files compiled together as `opa test` does, and writes one
// line per test to w, with the failing expression and the test's print()
// output under each failure, then a summary line. A test that errs counts
// as failed. err reports a bundle that does not load or compile.
func RunTests(ctx context.Context, fsys fs.FS, w io.Writer, opts ...TestOption) (passed, failed int, err error) {
	var cfg testConfig
	for _, o := range opts {
		o(&cfg)
	}
	results, err := runTests(ctx, fsys, cfg)
	if err != nil {
		return 0, 0, err
	}
	for _, r := range results {
		if r.Pass() {
			passed++
		} else if !r.Skip {
			failed++
		}
		writeResult(w, r)
	}
	fmt.Fprintf(w, "%s: %d passed, %d failed, %d total\n", verdict(failed), passed, failed, len(results))
	return passed, failed, nil
}

// runTests loads and checks the bundle as New would, then runs its tests
// and returns their results in file and line order.
func runTests(ctx context.Context, fsys fs.FS, cfg testConfig) ([]*tester.Result, error) {
	modules, err := loadModules(fsys, func(string) bool { return true })
	if err != nil {
		return nil, err
	}
	if _, err := findSources(policyModules(modules)); err != nil {
		return nil, err
	}
	ch, err := tester.NewRunner().
		SetDefaultRegoVersion(ast.RegoV1).
		SetModules(modules).
		EnableTracing(true).
		Filter(cfg.run).
		RunTests(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("compile policies: %w", err)
	}
	var results []*tester.Result
	for r := range ch {
		results = append(results, r)
	}
	// The runner finishes tests in parallel; sort for a stable report.
	slices.SortFunc(results, compareResults)
	return results, nil
}

// policyModules leaves out the test files, which may define what they like.
func policyModules(all map[string]*ast.Module) map[string]*ast.Module {
	out := make(map[string]*ast.Module, len(all))
	for name, m := range all {
		if isPolicyFile(name) {
			out[name] = m
		}
	}
	return out
}

func compareResults(a, b *tester.Result) int {
	return cmp.Or(
		cmp.Compare(a.Location.File, b.Location.File),
		cmp.Compare(a.Location.Row, b.Location.Row),
		cmp.Compare(a.Name, b.Name),
	)
}

func verdict(failed int) string {
	if failed > 0 {
		return "FAIL"
	}
	return "PASS"
}

// writeResult prints `PASS file:line data.pkg.test_name (duration)` and,
// for a test that did not pass, why.
func writeResult(w io.Writer, r *tester.Result) {
	fmt.Fprintf(w, "%-5s %s:%d %s.%s (%s)\n", outcome(r), r.Location.File, r.Location.Row, r.Package, r.Name, r.Duration.Round(time.Microsecond))
	if r.Pass() || r.Skip {
		return
	}
	if r.Error != nil {
		fmt.Fprintf(w, "      error: %s\n", indent(r.Error.Error()))
	}
	for name, sr := range r.SubResults.Iter {
		if sr.Fail && len(sr.SubResults) == 0 {
			fmt.Fprintf(w, "      case %s: FAIL\n", strings.Join(name, "/"))
			writeFailedAt(w, sr.Trace)
		}
	}
	if len(r.SubResults) == 0 {
		writeFailedAt(w, r.Trace)
	}
	if out := strings.TrimSpace(string(r.Output)); out != "" {
		fmt.Fprintf(w, "      output:\n        %s\n", strings.ReplaceAll(out, "\n", "\n        "))
	}
}

func outcome(r *tester.Result) string {
	switch {
	case r.Skip:
		return "SKIP"
	case r.Pass():
		return "PASS"
	case r.Fail:
		return "FAIL"
	}
	return "ERROR"
}

// writeFailedAt prints the last expression that failed in the test's own
// body or in a rule it called, with the values of its variables.
func writeFailedAt(w io.Writer, trace []*topdown.Event) {
	for _, e := range slices.Backward(trace) {
		if e.Op != topdown.FailOp || e.Location == nil || e.QueryID == 0 {
			continue
		}
		if expr, ok := e.Node.(*ast.Expr); ok {
			if _, every := expr.Terms.(*ast.Every); every {
				continue
			}
		}
		var b strings.Builder
		if err := topdown.PrettyEvent(&b, e, topdown.PrettyEventOpts{PrettyVars: true}); err != nil {
			return
		}
		fmt.Fprintf(w, "      failed at %s:%d:\n        %s\n", e.Location.File, e.Location.Row,
			strings.ReplaceAll(strings.TrimSpace(b.String()), "\n", "\n        "))
		return
	}
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n        ") }
