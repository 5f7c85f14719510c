package policy

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown/print"
)

// Engine evaluates one compiled policy bundle against descriptor
// documents. It is safe for concurrent use by many goroutines: the
// prepared query is read-only and each Eval gets its own evaluator state.
type Engine struct {
	query   rego.PreparedEvalQuery
	sources []source // one per element of the query's result array
}

// Option configures New.
type Option func(*config)

type config struct {
	print io.Writer
}

// WithPrint sends the output of Rego print() calls to w, one line per
// call, prefixed with the file and line of the call. Without it print
// calls are removed at compile time and cost nothing.
func WithPrint(w io.Writer) Option {
	return func(c *config) { c.print = w }
}

// New loads every .rego file of fsys (recursively), compiles the bundle
// once and prepares the query that Eval runs. Files named *_test.rego are
// left out: they hold Rego unit tests for RunTests and must not change
// what the engine reports. Parse and compile errors name file and line.
func New(ctx context.Context, fsys fs.FS, opts ...Option) (*Engine, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	modules, err := loadModules(fsys, isPolicyFile)
	if err != nil {
		return nil, err
	}
	sources, err := findSources(modules)
	if err != nil {
		return nil, err
	}
	c := ast.NewCompiler().
		WithDefaultRegoVersion(ast.RegoV1).
		WithEnablePrintStatements(cfg.print != nil)
	if c.Compile(modules); c.Failed() {
		return nil, fmt.Errorf("compile policies: %w", c.Errors)
	}
	e := &Engine{sources: sources}
	if len(sources) == 0 {
		return e, nil
	}
	e.query, err = rego.New(regoOptions(c, sources, cfg)...).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("prepare policy query: %w", err)
	}
	return e, nil
}

// regoOptions builds the single query `[data.portico.a.deny,
// data.portico.a.warn, ...]`: one evaluation yields every package's sets.
func regoOptions(c *ast.Compiler, sources []source, cfg config) []func(*rego.Rego) {
	terms := make([]*ast.Term, len(sources))
	for i, s := range sources {
		terms[i] = ast.RefTerm(s.ref...)
	}
	opts := []func(*rego.Rego){
		rego.Compiler(c),
		rego.ParsedQuery(ast.NewBody(ast.NewExpr(ast.ArrayTerm(terms...)))),
	}
	if cfg.print != nil {
		opts = append(opts, rego.EnablePrintStatements(true), rego.PrintHook(&printHook{w: cfg.print}))
	}
	return opts
}

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
