package render

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unsafe"

	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/config"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/loaders"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// DefaultMaxOutputBytes caps what one RenderSkeleton call, or one string
// that RenderValue renders, may produce when Options leaves it zero.
const DefaultMaxOutputBytes = 64 << 20

// maxRange bounds range(): a loop over more items than this is a template
// bug, and gonja's own range leaks a goroutine when a loop stops early.
const maxRange = 1_000_000

// ErrOutputTooLarge is returned when rendering passes its output cap.
var ErrOutputTooLarge = errors.New("rendered output exceeds its size cap")

// jsOutputFilter is the filter wrapped around every printed expression so
// that values print as JavaScript prints them (true, not True).
const jsOutputFilter = "__portico_js"

// lookupFilter is a.b and a[b] as Nunjucks evaluates them; addFilter is
// a + b as JavaScript adds.
const (
	lookupFilter = "__portico_lookup"
	addFilter    = "__portico_add"
)

// Syntax is how a template's text is read: the settings of Backstage's
// fetch:template that change the language rather than the files.
type Syntax struct {
	// CookiecutterCompat reads {{ }} instead of ${{ }} and adds jsonify.
	CookiecutterCompat bool
	// TrimBlocks and LStripBlocks are Nunjucks' trimBlocks and lstripBlocks.
	TrimBlocks   bool
	LStripBlocks bool
}

var (
	envOnce             sync.Once
	plainEnv, compatEnv *exec.Environment
)

func environments() (plain, compat *exec.Environment) {
	envOnce.Do(func() {
		plainEnv = newEnvironment(false)
		compatEnv = newEnvironment(true)
	})
	return plainEnv, compatEnv
}

func newEnvironment(compat bool) *exec.Environment {
	filters := exec.NewFilterSet(map[string]exec.FilterFunction{})
	filters.Update(builtins.Filters)
	set := func(name string, fn exec.FilterFunction) {
		if filters.Exists(name) {
			_ = filters.Replace(name, fn)
			return
		}
		_ = filters.Register(name, fn)
	}
	for name, fn := range nunjucksFilters() {
		set(name, fn)
	}
	set(jsOutputFilter, filterJSOutput)
	set(lookupFilter, filterLookup)
	set(addFilter, filterAdd)
	// SecureTemplater adds Backstage's filters to its ${{ }} environment
	// only; its cookiecutter one has jsonify instead.
	if compat {
		set("jsonify", filterDump)
	} else {
		for name, fn := range backstageFilters() {
			set(name, fn)
		}
	}
	globals := exec.EmptyContext().Update(builtins.GlobalFunctions).Update(builtins.GlobalVariables)
	globals.Set("range", rangeFunction)
	return &exec.Environment{
		Context:           globals,
		Filters:           filters,
		Tests:             builtins.Tests,
		ControlStructures: builtins.ControlStructures,
		Methods:           builtins.Methods,
	}
}

func (s Syntax) config() *config.Config {
	c := config.New()
	c.VariableStartString = "${{"
	if s.CookiecutterCompat {
		c.VariableStartString = "{{"
	}
	c.AutoEscape = false
	c.KeepTrailingNewline = true
	c.TrimBlocks = s.TrimBlocks
	c.LeftStripBlocks = s.LStripBlocks
	return c
}

// hasTags reports whether text holds anything the lexer would read as a
// tag: a variable, block or comment start.
func (s Syntax) hasTags(text string) bool {
	if strings.Contains(text, "{%") || strings.Contains(text, "{#") {
		return true
	}
	if s.CookiecutterCompat {
		return strings.Contains(text, "{{")
	}
	return strings.Contains(text, "${{")
}

func (s Syntax) env() *exec.Environment {
	plain, compat := environments()
	if s.CookiecutterCompat {
		return compat
	}
	return plain
}

// cacheEntries bounds the compiled-template cache; an upgrade renders the
// same skeleton for every repository, so each text is compiled once.
const (
	cacheEntries    = 4096
	cacheMaxBytes   = 64 << 10 // larger texts are compiled each time
	cacheTotalBytes = 8 << 20  // of source text; the trees are ~30 times more
)

type cacheKey struct {
	syn  Syntax
	text string
}

var compiled = struct {
	sync.Mutex
	m     map[cacheKey]*exec.Template
	bytes int
}{m: map[cacheKey]*exec.Template{}}

// compile parses text into a template whose printed expressions print as
// JavaScript does, or takes it from the cache. A compiled template is
// read-only: every execution has its own renderer and context.
func compile(name, text string, syn Syntax) (*exec.Template, error) {
	if len(text) > cacheMaxBytes {
		return compileText(name, text, syn)
	}
	key := cacheKey{syn, text}
	compiled.Lock()
	t, ok := compiled.m[key]
	compiled.Unlock()
	if ok {
		return t, nil
	}
	t, err := compileText(name, text, syn)
	if err != nil {
		return nil, err
	}
	compiled.Lock()
	if len(compiled.m) >= cacheEntries || compiled.bytes+len(text) > cacheTotalBytes {
		clear(compiled.m)
		compiled.bytes = 0
	}
	compiled.m[key] = t
	compiled.bytes += len(text)
	compiled.Unlock()
	return t, nil
}

func compileText(name, text string, syn Syntax) (t *exec.Template, err error) {
	defer recoverInto(&err)
	name = "/" + name
	loader, err := loaders.NewMemoryLoader(map[string]string{name: text})
	if err != nil {
		return nil, err
	}
	t, err = exec.NewTemplate(name, syn.config(), loader, syn.env())
	if err != nil {
		return nil, locate(text, syn, parseError(err))
	}
	rewrite(reflect.ValueOf(t.Root()), map[uintptr]bool{})
	return t, nil
}

// locate adds the line to a parse error that lacks one: the first line
// at which the text, cut there, fails with the same error (found by
// bisection, since the parser stops at the first error it meets).
func locate(text string, syn Syntax, err error) error {
	if strings.Contains(err.Error(), "Line") || strings.Contains(err.Error(), "line") {
		return err
	}
	lines := strings.SplitAfter(text, "\n")
	same := func(n int) bool {
		prefix := strings.Join(lines[:n], "")
		loader, lerr := loaders.NewMemoryLoader(map[string]string{"/t": prefix})
		if lerr != nil {
			return false
		}
		_, perr := exec.NewTemplate("/t", syn.config(), loader, syn.env())
		return perr != nil && parseError(perr).Error() == err.Error()
	}
	lo, hi := 1, len(lines)
	if !same(hi) {
		return err
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if same(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return fmt.Errorf("line %d: %w", lo, err)
}

// parseError drops the template's whole source, which gonja puts in its
// message, and keeps the parser's error with its line.
func parseError(err error) error {
	if strings.HasPrefix(err.Error(), "failed to parse template") {
		if inner := errors.Unwrap(err); inner != nil {
			return inner
		}
	}
	return err
}

// rewrite makes gonja's tree read as Nunjucks reads it: every printed
// expression, however deep in control structures, pipes through
// jsOutputFilter; a.b and a[b] on an undefined a give undefined instead of
// an error; object literals' bare keys are names. Unexported fields (the
// bodies of set blocks) are reached too.
func rewrite(v reflect.Value, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		switch n := v.Interface().(type) {
		case *nodes.Output:
			rewriteChildren(reflect.ValueOf(n).Elem(), seen)
			n.Expression = jsWrapped(n.Expression)
			n.Alternative = jsWrapped(n.Alternative)
			return
		case *nodes.Pair:
			n.Key = literalKey(n.Key)
		}
		rewriteChildren(v.Elem(), seen)
	case reflect.Interface:
		if !v.IsNil() {
			rewrite(v.Elem(), seen)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			rewriteChild(v.Index(i), seen)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			rewrite(it.Value(), seen)
		}
	}
}

// rewriteChildren walks a node's fields. A call's function keeps its
// attribute lookup (that is how methods are called), and so does the
// target of a set.
func rewriteChildren(v reflect.Value, seen map[uintptr]bool) {
	if v.Kind() != reflect.Struct {
		rewrite(v, seen)
		return
	}
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if !f.CanInterface() && f.CanAddr() {
			f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
		}
		name := v.Type().Field(i).Name
		if (v.Type() == reflect.TypeFor[nodes.Call]() && name == "Func") || strings.EqualFold(name, "target") {
			rewrite(f, seen)
			continue
		}
		rewriteChild(f, seen)
	}
}

// rewriteChild rewrites an expression held in f, replacing lookups.
func rewriteChild(f reflect.Value, seen map[uintptr]bool) {
	rewrite(f, seen)
	if f.Kind() != reflect.Interface || f.IsNil() || !f.CanSet() {
		return
	}
	var repl nodes.Expression
	switch n := f.Elem().Interface().(type) {
	case *nodes.GetAttribute:
		if n.Attribute != "" {
			repl = lookup(n.Node, n.Location, &nodes.String{Location: n.Location, Val: n.Attribute})
		}
	case *nodes.GetItem:
		if arg, ok := n.Arg.(nodes.Expression); ok {
			repl = lookup(n.Node, n.Location, arg)
		}
	case *nodes.BinaryExpression:
		if n.Operator != nil && n.Operator.Token != nil && n.Operator.Token.Val == "+" {
			repl = &nodes.FilteredExpression{
				Expression: n.Left,
				Filters:    []*nodes.FilterCall{{Token: n.Operator.Token, Name: addFilter, Args: []nodes.Expression{n.Right}}},
			}
		}
	}
	if repl != nil && reflect.TypeOf(repl).AssignableTo(f.Type()) {
		f.Set(reflect.ValueOf(repl))
	}
}

func lookup(obj nodes.Node, at *tokens.Token, key nodes.Expression) nodes.Expression {
	expr, ok := obj.(nodes.Expression)
	if !ok {
		return nil
	}
	return &nodes.FilteredExpression{
		Expression: expr,
		Filters:    []*nodes.FilterCall{{Token: at, Name: lookupFilter, Args: []nodes.Expression{key}}},
	}
}

// literalKey reads a bare name as an object key the way Nunjucks (and
// JavaScript) do: { kind: "x" } has the key "kind", where Jinja would look
// up a variable called kind.
func literalKey(k nodes.Expression) nodes.Expression {
	if n, ok := k.(*nodes.Name); ok {
		return &nodes.String{Location: n.Name, Val: n.Name.Val}
	}
	return k
}

func jsWrapped(e nodes.Expression) nodes.Expression {
	if e == nil {
		return nil
	}
	return &nodes.FilteredExpression{
		Expression: e,
		Filters:    []*nodes.FilterCall{{Token: e.Position(), Name: jsOutputFilter}},
	}
}

// RenderString renders one template text against scope, as Backstage's
// SecureTemplater renders a string, within max bytes of output (zero
// means DefaultMaxOutputBytes).
func RenderString(ctx context.Context, text string, scope map[string]any, syn Syntax, max int64) (string, error) {
	var b strings.Builder
	if max <= 0 {
		max = DefaultMaxOutputBytes
	}
	budget := &budget{left: max}
	if err := renderTo(ctx, &b, budget, "template", text, scope, syn); err != nil {
		return "", err
	}
	return b.String(), nil
}

func renderTo(ctx context.Context, b *strings.Builder, bud *budget, name, text string, scope map[string]any, syn Syntax) (err error) {
	if !syn.hasTags(text) {
		// Text without a tag renders as itself; most skeleton files and
		// names are such, and gonja's lexer costs ~30 bytes per byte.
		w := &cappedWriter{ctx: ctx, b: b, budget: bud}
		_, err := w.Write([]byte(text))
		return err
	}
	t, err := compile(name, text, syn)
	if err != nil {
		return err
	}
	defer recoverInto(&err)
	data := exec.NewContext(normalizeScope(scope))
	w := &cappedWriter{ctx: ctx, b: b, budget: bud}
	if err := t.Execute(w, data); err != nil {
		if w.err != nil {
			return w.err
		}
		return err
	}
	return nil
}

func normalizeScope(scope map[string]any) map[string]any {
	out := make(map[string]any, len(scope))
	for k, v := range scope {
		out[k] = normalize(v)
	}
	return out
}

func recoverInto(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("template failed: %v", r)
	}
}

// budget is the output left to a whole render, shared by its files.
type budget struct{ left int64 }

// cappedWriter stops a render that outgrows its budget or whose context
// is done, so a template loop can neither eat memory nor run on.
type cappedWriter struct {
	ctx    context.Context
	b      *strings.Builder
	budget *budget
	err    error
}

func (w *cappedWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if err := w.ctx.Err(); err != nil {
		w.err = err
		return 0, err
	}
	if int64(len(p)) > w.budget.left {
		w.err = ErrOutputTooLarge
		return 0, w.err
	}
	w.budget.left -= int64(len(p))
	return w.b.Write(p)
}

// rangeFunction is Nunjucks' range(start, stop, step) as a list, bounded
// by maxRange.
func rangeFunction(_ *exec.Evaluator, params *exec.VarArgs) ([]int, error) {
	start, stop, step := 0, 0, 1
	ints := make([]int, len(params.Args))
	for i, a := range params.Args {
		if !a.IsNumber() {
			return nil, errors.New("range: arguments must be numbers")
		}
		ints[i] = a.Integer()
	}
	switch len(ints) {
	case 1:
		stop = ints[0]
	case 2:
		start, stop = ints[0], ints[1]
	case 3:
		start, stop, step = ints[0], ints[1], ints[2]
	default:
		return nil, errors.New("range: expected [start, ]stop[, step]")
	}
	if step == 0 {
		return nil, errors.New("range: step cannot be 0")
	}
	var out []int
	for i := start; (step > 0 && i < stop) || (step < 0 && i > stop); i += step {
		if len(out) == maxRange {
			return nil, fmt.Errorf("range: more than %d items", maxRange)
		}
		out = append(out, i)
	}
	return out, nil
}
