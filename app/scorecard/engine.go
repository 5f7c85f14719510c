package scorecard

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/portico-dev/portico/app/policy"
)

// Engine holds a compiled set of scorecards. It is safe for concurrent
// use: the prepared queries are read-only.
type Engine struct {
	cards    []*card
	compiler *ast.Compiler
	caps     *ast.Capabilities
	timeout  time.Duration
	query    rego.PreparedEvalQuery // [data.portico.scorecards.<a>.pass, ...]
}

// Option configures New.
type Option func(*config)

type config struct {
	allow   []string
	timeout time.Duration
}

// WithEvalTimeout bounds each evaluation of an entity, as
// policy.eval_timeout does for policies; d <= 0 means
// policy.DefaultEvalTimeout. A scorecard that runs longer is reported as
// an error of that scorecard.
func WithEvalTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// WithAllowedBuiltins lets scorecards call the named built-ins that
// portico refuses by default (policy.RefusedBuiltins: those that reach
// outside its process), as policy.allow_builtins does for policies.
func WithAllowedBuiltins(names ...string) Option {
	return func(c *config) { c.allow = append(c.allow, names...) }
}

// card is one scorecard with what evaluating it needs.
type card struct {
	Scorecard
	ref   ast.Ref // data.portico.scorecards.<...>.pass
	rules map[string]int
	// alone is the scorecard's own query, prepared the first time the
	// query of all scorecards fails, to tell which scorecard fails.
	once  sync.Once
	alone rego.PreparedEvalQuery
	err   error
}

var rootRef = ast.MustParseRef("data.portico.scorecards")

// New loads every .rego file of fsys (recursively) but the *_test.rego
// unit tests, reads and checks each scorecard's declaration, compiles
// the scorecards once and prepares the one query that Score runs. A
// malformed scorecard is refused with its file and line, and so is a
// call of a built-in that reaches outside portico (http.send and the
// like), as for policies: scorecards come from a repository many people
// merge to.
func New(ctx context.Context, fsys fs.FS, opts ...Option) (*Engine, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	sb, err := policy.NewSandbox(cfg.allow...)
	if err != nil {
		return nil, fmt.Errorf("load scorecards: %w", err)
	}
	modules, err := loadModules(fsys)
	if err != nil {
		return nil, err
	}
	if err := sb.Check(modules); err != nil {
		return nil, fmt.Errorf("load scorecards: %w", err)
	}
	cards, err := findCards(modules)
	if err != nil {
		return nil, fmt.Errorf("load scorecards: %w", err)
	}
	c := ast.NewCompiler().WithDefaultRegoVersion(ast.RegoV1).WithCapabilities(sb.Capabilities())
	if err := compileModules(c, modules); err != nil {
		return nil, err
	}
	e := &Engine{cards: cards, compiler: c, caps: sb.Capabilities(), timeout: cfg.timeout}
	if e.timeout <= 0 {
		e.timeout = policy.DefaultEvalTimeout
	}
	if len(cards) == 0 {
		return e, nil
	}
	terms := make([]*ast.Term, len(cards))
	for i, cd := range cards {
		terms[i] = ast.RefTerm(cd.ref...)
	}
	e.query, err = e.prepare(ctx, ast.ArrayTerm(terms...))
	if err != nil {
		return nil, err
	}
	return e, nil
}

// compileModules runs OPA's compiler, which panics on some malformed
// sources (the fuzz corpus holds one): a scorecard from a repository must
// not bring down the process that loads it.
func compileModules(c *ast.Compiler, modules map[string]*ast.Module) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("compile scorecards: the Rego compiler failed on them: %v", r)
		}
	}()
	if c.Compile(modules); c.Failed() {
		return fmt.Errorf("compile scorecards: %w", c.Errors)
	}
	return nil
}

func (e *Engine) prepare(ctx context.Context, query *ast.Term) (rego.PreparedEvalQuery, error) {
	q, err := rego.New(rego.Compiler(e.compiler), rego.Capabilities(e.caps), rego.ParsedQuery(ast.NewBody(ast.NewExpr(query)))).PrepareForEval(ctx)
	if err != nil {
		return q, fmt.Errorf("prepare scorecard query: %w", err)
	}
	return q, nil
}

// Scorecards lists the declarations, ordered by id.
func (e *Engine) Scorecards() []Scorecard {
	out := make([]Scorecard, len(e.cards))
	for i, c := range e.cards {
		out[i] = c.Scorecard
	}
	return out
}

// loadModules parses the .rego files of fsys but its tests.
func loadModules(fsys fs.FS) (map[string]*ast.Module, error) {
	modules := map[string]*ast.Module{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(name) != ".rego" || strings.HasSuffix(name, "_test.rego") {
			return err
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			return err
		}
		modules[name] = m
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load scorecards: %w", err)
	}
	return modules, nil
}

// parts gathers, per package under portico.scorecards, the rules that
// make it a scorecard.
type parts struct {
	pkg  ast.Ref
	at   *ast.Location
	decl *ast.Rule
	pass bool
}

// findCards reads the declaration of every package under
// portico.scorecards that defines `scorecard` or `pass`; a package with
// neither is a library that scorecards import.
func findCards(modules map[string]*ast.Module) ([]*card, error) {
	byPkg := map[string]*parts{}
	for _, name := range slices.Sorted(maps.Keys(modules)) {
		m := modules[name]
		if !m.Package.Path.HasPrefix(rootRef) || len(m.Package.Path) == len(rootRef) {
			continue
		}
		key := m.Package.Path.String()
		p := byPkg[key]
		if p == nil {
			p = &parts{pkg: m.Package.Path, at: m.Package.Location}
			byPkg[key] = p
		}
		if err := p.add(m); err != nil {
			return nil, err
		}
	}
	var cards []*card
	for _, key := range slices.Sorted(maps.Keys(byPkg)) {
		c, err := byPkg[key].card()
		if err != nil || c == nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		if i := slices.IndexFunc(cards, func(o *card) bool { return o.ID == c.ID }); i >= 0 {
			return nil, fmt.Errorf("%s: scorecard id %q is taken by %s", c.Package, c.ID, cards[i].Package)
		}
		cards = append(cards, c)
	}
	return cards, nil
}

// add takes note of the scorecard rules in one module of the package.
func (p *parts) add(m *ast.Module) error {
	for _, r := range m.Rules {
		head := r.Head.Ref()
		switch head[0].Value.String() {
		case "scorecard":
			if p.decl != nil {
				return fmt.Errorf("%s: scorecard is declared twice in %s (also at %s)", r.Location, p.pkg, p.decl.Location)
			}
			if len(head) != 1 || r.Head.Value == nil || !isConstant(r.Head.Value) || !isTrue(r.Body) || r.Else != nil {
				return fmt.Errorf("%s: scorecard must be a constant: write `scorecard := {...}` with no rule body", r.Location)
			}
			p.decl = r
		case "pass":
			if len(head) != 1 || r.Head.RuleKind() != ast.MultiValue || r.Default {
				return fmt.Errorf("%s: pass must be a partial set of rule ids: write `pass contains \"rule-id\" if { ... }`", r.Location)
			}
			p.pass = true
		}
	}
	return nil
}

// isConstant reports whether t is plain data, with no reference, variable,
// call or comprehension: a declaration must read the same for every
// entity, and New reads it without evaluating anything.
func isConstant(t *ast.Term) bool {
	ok := true
	ast.WalkTerms(t, func(x *ast.Term) bool {
		switch x.Value.(type) {
		case ast.Ref, ast.Var, ast.Call, *ast.ArrayComprehension, *ast.ObjectComprehension, *ast.SetComprehension:
			ok = false
		}
		return !ok
	})
	return ok
}

func isTrue(body ast.Body) bool {
	if len(body) != 1 {
		return false
	}
	t, ok := body[0].Terms.(*ast.Term)
	return ok && t.Value.Compare(ast.Boolean(true)) == 0
}

// card checks that the package is a whole scorecard and reads it.
func (p *parts) card() (*card, error) {
	switch {
	case p.decl == nil && !p.pass:
		return nil, nil
	case p.decl == nil:
		return nil, fmt.Errorf("%s: %s defines pass but no `scorecard := {...}` declaration", p.at, p.pkg)
	case !p.pass:
		return nil, fmt.Errorf("%s: %s declares a scorecard but defines no `pass contains \"rule-id\" if { ... }`", p.decl.Location, p.pkg)
	}
	s, err := declaration(p.pkg, p.decl.Head.Value)
	if err != nil {
		return nil, err
	}
	c := &card{Scorecard: s, ref: p.pkg.Copy().Append(ast.StringTerm("pass")), rules: map[string]int{}}
	for i, r := range s.Rules {
		c.rules[r.ID] = i
	}
	return c, nil
}
