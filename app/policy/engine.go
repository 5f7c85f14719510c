package policy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown/print"
)

// DefaultEvalTimeout bounds the evaluation of one document. The default
// bundle takes microseconds; a policy that takes seconds is looping, and
// one document must not hold a check (or a worker) hostage.
const DefaultEvalTimeout = 2 * time.Second

// Engine evaluates one compiled policy bundle against descriptor
// documents. It is safe for concurrent use by many goroutines: the
// prepared query is read-only and each Eval gets its own evaluator state.
type Engine struct {
	query    rego.PreparedEvalQuery
	sources  []source // one per element of the query's result array
	timeout  time.Duration
	severity map[string]string // rule id -> error, warning or off
	docs     []RuleDoc
}

// Option configures New.
type Option func(*config)

type config struct {
	print    io.Writer
	allow    []string
	timeout  time.Duration
	severity map[string]string
}

// WithPrint sends the output of Rego print() calls to w, one line per
// call, prefixed with the file and line of the call. Without it print
// calls are removed at compile time and cost nothing.
func WithPrint(w io.Writer) Option {
	return func(c *config) { c.print = w }
}

// WithAllowedBuiltins lets policies call the named built-ins among
// RefusedBuiltins. A name that is not one of them makes New fail.
func WithAllowedBuiltins(names ...string) Option {
	return func(c *config) { c.allow = append(c.allow, names...) }
}

// WithEvalTimeout bounds the evaluation of each document; d <= 0 means
// DefaultEvalTimeout.
func WithEvalTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// WithSeverity sets the severity of findings by rule id: "error",
// "warning" or "off" (dropped). It takes precedence over the bundle's own
// table (data.portico.severity). An unknown severity makes New fail.
func WithSeverity(bySeverity map[string]string) Option {
	return func(c *config) {
		if c.severity == nil {
			c.severity = map[string]string{}
		}
		maps.Copy(c.severity, bySeverity)
	}
}

func newConfig(opts []Option) config {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.timeout <= 0 {
		cfg.timeout = DefaultEvalTimeout
	}
	return cfg
}

// New loads every .rego file of fsys (recursively), compiles the bundle
// once and prepares the query that Eval runs. Files named *_test.rego are
// left out: they hold Rego unit tests for RunTests and must not change
// what the engine reports. A bundle without policy files, a refused
// built-in, and parse and compile errors are errors naming file and line.
func New(ctx context.Context, fsys fs.FS, opts ...Option) (*Engine, error) {
	cfg := newConfig(opts)
	modules, err := loadModules(fsys, isPolicyFile)
	if err != nil {
		return nil, err
	}
	sb, err := newSandbox(cfg.allow)
	if err != nil {
		return nil, fmt.Errorf("load policies: %w", err)
	}
	c, err := compile(modules, sb, cfg.print != nil, nil)
	if err != nil {
		return nil, err
	}
	sources, err := findSources(modules)
	if err != nil {
		return nil, err
	}
	e := &Engine{sources: sources, timeout: cfg.timeout, docs: ruleDocs(modules)}
	if e.severity, err = severityTable(ctx, c, sb, cfg.severity); err != nil {
		return nil, err
	}
	if len(sources) == 0 {
		return e, nil
	}
	e.query, err = rego.New(regoOptions(c, sb, sources, cfg)...).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("prepare policy query: %w", err)
	}
	return e, nil
}

// compile checks modules against the sandbox and compiles them. stage, if
// not nil, adjusts the compiler first (the test runner adds its own).
func compile(modules map[string]*ast.Module, sb *sandbox, printing bool, stage func(*ast.Compiler)) (*ast.Compiler, error) {
	if err := sb.check(modules); err != nil {
		return nil, fmt.Errorf("load policies: %w", err)
	}
	c := ast.NewCompiler().
		WithCapabilities(sb.caps).
		WithDefaultRegoVersion(ast.RegoV1).
		WithEnablePrintStatements(printing)
	if stage != nil {
		stage(c)
	}
	if err := compileModules(c, modules); err != nil {
		return nil, err
	}
	return c, nil
}

// compileModules runs the compiler, which panics on some malformed
// bundles (FuzzNew found one): a policy from a repository must not bring
// down the process that loads it.
func compileModules(c *ast.Compiler, modules map[string]*ast.Module) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("compile policies: the Rego compiler failed on this bundle: %v", r)
		}
	}()
	if c.Compile(modules); c.Failed() {
		return fmt.Errorf("compile policies: %w", c.Errors)
	}
	return nil
}

// regoOptions builds the single query `[data.portico.a.deny,
// data.portico.a.warn, ...]`: one evaluation yields every package's sets.
func regoOptions(c *ast.Compiler, sb *sandbox, sources []source, cfg config) []func(*rego.Rego) {
	terms := make([]*ast.Term, len(sources))
	for i, s := range sources {
		terms[i] = ast.RefTerm(s.ref...)
	}
	opts := []func(*rego.Rego){
		rego.Compiler(c),
		rego.Capabilities(sb.caps),
		rego.ParsedQuery(ast.NewBody(ast.NewExpr(ast.ArrayTerm(terms...)))),
	}
	if cfg.print != nil {
		opts = append(opts, rego.EnablePrintStatements(true), rego.PrintHook(&printHook{w: cfg.print}))
	}
	return opts
}

// errEvalTimeout is the cause of a context that WithEvalTimeout ended.
var errEvalTimeout = errors.New("evaluation timeout")

// printHook serialises print() output: Eval runs on many goroutines.
type printHook struct {
	mu sync.Mutex
	w  io.Writer
}

func (h *printHook) Print(pc print.Context, msg string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if pc.Location != nil {
		_, err := fmt.Fprintf(h.w, "%s:%d: %s\n", pc.Location.File, pc.Location.Row, msg)
		return err
	}
	_, err := fmt.Fprintln(h.w, msg)
	return err
}

// CheckOptions reports what New would refuse in opts, without a bundle:
// for a caller that compiles later (per commit of a repository) and must
// not discover a misspelt setting only then.
func CheckOptions(opts ...Option) error {
	cfg := newConfig(opts)
	if _, err := newSandbox(cfg.allow); err != nil {
		return fmt.Errorf("policy options: %w", err)
	}
	return checkSeverities(cfg.severity)
}
