package policy

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// Rule name prefixes, as `opa test` reads them.
const (
	testPrefix = "test_"
	skipPrefix = "todo_test_"
)

// DefaultTestTimeout bounds one test, as `opa test --timeout` does by
// default.
const DefaultTestTimeout = 5 * time.Second

// TestOption configures RunTests.
type TestOption func(*testConfig)

type testConfig struct {
	run     string
	allow   []string
	timeout time.Duration
}

// MatchTests runs only the tests whose full name (data.<package>.<rule>)
// matches the regular expression pattern, as `opa test --run` does.
func MatchTests(pattern string) TestOption {
	return func(c *testConfig) { c.run = pattern }
}

// WithTestTimeout bounds each test; d <= 0 means DefaultTestTimeout. A test
// that runs longer is stopped and reported as an error.
func WithTestTimeout(d time.Duration) TestOption {
	return func(c *testConfig) { c.timeout = d }
}

// AllowTestBuiltins lets the bundle call the named refused built-ins, as
// WithAllowedBuiltins does for New.
func AllowTestBuiltins(names ...string) TestOption {
	return func(c *testConfig) { c.allow = append(c.allow, names...) }
}

// testResult is the outcome of one test rule.
type testResult struct {
	loc      *ast.Location
	name     string // data.<package>.<rule>
	skip     bool
	fail     bool
	err      error
	duration time.Duration
	output   []byte
	trace    []*topdown.Event // of a failed test, to say where it failed
}

func (r *testResult) pass() bool { return !r.skip && !r.fail && r.err == nil }

// RunTests runs every test_* rule of the bundle in fsys, policies and
// *_test.rego files compiled together as `opa test` does (in the same
// sandbox as New), and writes one line per test to w, with the failing
// expression and the test's print() output under each failure, then a
// summary line. A test passes when its rule is true, fails when it is
// false or undefined, and errs when evaluation fails, which counts as
// failed; todo_test_* rules are skipped. err reports a bundle that does
// not load or compile.
func RunTests(ctx context.Context, fsys fs.FS, w io.Writer, opts ...TestOption) (passed, failed int, err error) {
	cfg := testConfig{timeout: DefaultTestTimeout}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.timeout <= 0 {
		cfg.timeout = DefaultTestTimeout
	}
	results, err := runTests(ctx, fsys, cfg)
	if err != nil {
		return 0, 0, err
	}
	for _, r := range results {
		if r.pass() {
			passed++
		} else if !r.skip {
			failed++
		}
		writeResult(w, r)
	}
	fmt.Fprintf(w, "%s: %d passed, %d failed, %d total\n", verdict(failed), passed, failed, len(results))
	return passed, failed, nil
}

// runTests loads and checks the bundle as New would, then runs its tests
// one after the other and returns their results in file and line order.
func runTests(ctx context.Context, fsys fs.FS, cfg testConfig) ([]*testResult, error) {
	filter, err := regexp.Compile(cfg.run)
	if err != nil {
		return nil, fmt.Errorf("test filter: %w", err)
	}
	modules, err := loadModules(fsys, func(string) bool { return true })
	if err != nil {
		return nil, err
	}
	if _, err := findSources(policyModules(modules)); err != nil {
		return nil, err
	}
	sb, err := newSandbox(cfg.allow)
	if err != nil {
		return nil, fmt.Errorf("load policies: %w", err)
	}
	c, err := compile(modules, sb, true, func(c *ast.Compiler) {
		c.WithStageAfterID(ast.StageRewriteRuleHeadRefs, ast.CompilerStageDefinition{
			Name: "RenameDuplicateTests", MetricName: "rename_duplicate_tests", Stage: renameDuplicateTests,
		})
	})
	if err != nil {
		return nil, err
	}
	var results []*testResult
	for _, t := range findTests(c, filter) {
		results = append(results, t.run(ctx, c, sb, cfg.timeout))
	}
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

// testRule is one test to run: a rule whose name starts with test_ or
// todo_test_.
type testRule struct {
	rule *ast.Rule
	ref  ast.Ref // data.<package>.<rule>
	name string
}

// findTests lists the test rules of every compiled module whose full name
// matches filter.
func findTests(c *ast.Compiler, filter *regexp.Regexp) []testRule {
	var tests []testRule
	for _, m := range c.Modules {
		for _, r := range m.Rules {
			name := ruleName(r.Head)
			if !strings.HasPrefix(name, testPrefix) && !strings.HasPrefix(name, skipPrefix) {
				continue
			}
			ref := m.Package.Path.Copy().Append(ast.StringTerm(name))
			if full := m.Package.Path.String() + "." + name; filter.MatchString(full) {
				tests = append(tests, testRule{rule: r, ref: ref, name: full})
			}
		}
	}
	return tests
}

// ruleName is the first part of a rule's head: test_x of `test_x if`
// and of `test_x[case] if`.
func ruleName(h *ast.Head) string {
	switch v := h.Ref()[0].Value.(type) {
	case ast.Var:
		return string(v)
	case ast.String:
		return string(v)
	}
	return ""
}

// run evaluates one test. A failed test is run again with a tracer: the
// trace says where it failed, and passing tests do not pay for it.
func (t testRule) run(ctx context.Context, c *ast.Compiler, sb *sandbox, timeout time.Duration) *testResult {
	r := &testResult{loc: t.rule.Location, name: t.name}
	if strings.HasPrefix(ruleName(t.rule.Head), skipPrefix) {
		r.skip = true
		return r
	}
	if len(t.rule.Head.Ref()) > 1 {
		r.err = fmt.Errorf("%s: parameterised tests (%s[...]) are not supported: write one test rule per case", t.rule.Location, ruleName(t.rule.Head))
		return r
	}
	var out bytes.Buffer
	start := time.Now()
	ok, err := t.eval(ctx, c, sb, timeout, &out, nil)
	r.duration, r.output, r.err = time.Since(start), out.Bytes(), err
	if err == nil && !ok {
		r.fail = true
		tracer := topdown.NewBufferTracer()
		if _, err := t.eval(ctx, c, sb, timeout, io.Discard, tracer); err == nil {
			r.trace = *tracer
		}
	}
	return r
}

// eval reports whether the test rule is true.
func (t testRule) eval(ctx context.Context, c *ast.Compiler, sb *sandbox, timeout time.Duration, out io.Writer, tracer topdown.QueryTracer) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	opts := []func(*rego.Rego){
		rego.Compiler(c),
		rego.Capabilities(sb.caps),
		rego.ParsedQuery(ast.NewBody(ast.NewExpr(ast.RefTerm(t.ref...)))),
		rego.EnablePrintStatements(true),
		rego.PrintHook(topdown.NewPrintHook(out)),
	}
	if tracer != nil {
		opts = append(opts, rego.QueryTracer(tracer))
	}
	rs, err := rego.New(opts...).Eval(ctx)
	if err != nil {
		return false, err
	}
	if len(rs) == 0 {
		return false, nil
	}
	b, ok := rs[0].Expressions[0].Value.(bool)
	return ok && b, nil
}

// renameDuplicateTests gives the second and later test rules of the same
// name in a package a numbered name (test_x#01), as `opa test` does, so
// that each runs and reports on its own instead of being or-ed together.
func renameDuplicateTests(c *ast.Compiler) *ast.Error {
	seen := map[string]int{}
	for _, m := range c.Modules {
		for _, r := range m.Rules {
			name := ruleName(r.Head)
			if !strings.HasPrefix(name, testPrefix) {
				continue
			}
			key := m.Package.Path.String() + "." + name
			if n := seen[key]; n > 0 {
				ref := r.Head.Ref().Copy()
				ref[0] = ast.VarTerm(fmt.Sprintf("%s#%02d", name, n))
				r.Head.SetRef(ref)
			}
			seen[key]++
		}
	}
	return nil
}

func compareResults(a, b *testResult) int {
	return cmp.Or(
		cmp.Compare(a.loc.File, b.loc.File),
		cmp.Compare(a.loc.Row, b.loc.Row),
		cmp.Compare(a.name, b.name),
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
func writeResult(w io.Writer, r *testResult) {
	fmt.Fprintf(w, "%-5s %s:%d %s (%s)\n", outcome(r), r.loc.File, r.loc.Row, r.name, r.duration.Round(time.Microsecond))
	if r.pass() || r.skip {
		return
	}
	if r.err != nil {
		fmt.Fprintf(w, "      error: %s\n", indent(r.err.Error()))
	}
	writeFailedAt(w, r.trace)
	if out := strings.TrimSpace(string(r.output)); out != "" {
		fmt.Fprintf(w, "      output:\n        %s\n", strings.ReplaceAll(out, "\n", "\n        "))
	}
}

func outcome(r *testResult) string {
	switch {
	case r.skip:
		return "SKIP"
	case r.pass():
		return "PASS"
	case r.fail:
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
