package scorecard

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/metrics"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/portico-dev/portico/app/descriptor"
)

// noMetrics spares each evaluation a fresh metrics set nobody reads.
var noMetrics = metrics.NoOp()

// keepTerm hands the result back as the evaluator's own term.
func keepTerm(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil }

// Score judges one entity with every scorecard that applies to it and
// returns their results, ordered by scorecard id; none when no scorecard
// applies or the document is no entity. A scorecard that fails to
// evaluate (a Rego runtime error, a pass set holding something other
// than its rule ids) has a Result with Err naming its package, and the
// others still have theirs. err is only ctx's.
func (e *Engine) Score(ctx context.Context, in Input) ([]Result, error) {
	if in.Entity == nil || in.Entity.Root == nil || in.Entity.Root.Kind != descriptor.Map {
		return nil, nil
	}
	var cards []int
	for i, c := range e.cards {
		if c.AppliesTo.match(in.Entity) {
			cards = append(cards, i)
		}
	}
	if len(cards) == 0 {
		return nil, nil
	}
	repo := in.Repo
	if repo == nil {
		repo = nothing
	}
	input := in.value()
	sets, err := e.evalAll(ctx, input)
	if ctx.Err() != nil {
		return nil, fmt.Errorf("score %s: %w", entityName(in.Entity), ctx.Err())
	}
	out := make([]Result, len(cards))
	for k, i := range cards {
		c := e.cards[i]
		var set *ast.Term
		var cerr error
		if err == nil {
			set = sets.Elem(i)
		} else {
			set, cerr = e.evalAlone(ctx, c, input)
		}
		out[k] = c.result(set, cerr, repo)
	}
	return out, nil
}

// evalAll runs the query of all scorecards: one pass of the evaluator
// for every scorecard, the usual case.
func (e *Engine) evalAll(ctx context.Context, input ast.Value) (*ast.Array, error) {
	t, err := e.eval(ctx, e.query, input)
	if err != nil {
		return nil, err
	}
	arr, ok := t.Value.(*ast.Array)
	if !ok || arr.Len() != len(e.cards) {
		return nil, fmt.Errorf("evaluate: unexpected result %v", t)
	}
	return arr, nil
}

// evalAlone evaluates one scorecard by itself: when the query of all
// scorecards fails, this tells which of them fail.
func (e *Engine) evalAlone(ctx context.Context, c *card, input ast.Value) (*ast.Term, error) {
	// Prepared once for every later caller: this caller's cancellation
	// must not leave the scorecard unpreparable for the others.
	c.once.Do(func() { c.alone, c.err = e.prepare(context.WithoutCancel(ctx), ast.RefTerm(c.ref...)) })
	if c.err != nil {
		return nil, c.err
	}
	return e.eval(ctx, c.alone, input)
}

func (c *card) result(set *ast.Term, err error, repo *Repo) Result {
	if err != nil {
		return failedResult(&c.Scorecard, err)
	}
	passed, err := c.passed(set)
	if err != nil {
		return failedResult(&c.Scorecard, err)
	}
	return judge(&c.Scorecard, passed, repo.facts)
}

// passed reads a pass set: ids of declared rules, nothing else.
func (c *card) passed(t *ast.Term) (map[string]bool, error) {
	set, ok := t.Value.(ast.Set)
	if !ok {
		return nil, fmt.Errorf("pass is %v, not a set", ast.ValueName(t.Value))
	}
	passed := make(map[string]bool, set.Len())
	for _, e := range set.Slice() {
		id, ok := e.Value.(ast.String)
		if _, declared := c.rules[string(id)]; !ok || !declared {
			return nil, fmt.Errorf("pass holds %v, which is not the id of a rule of this scorecard", e)
		}
		passed[string(id)] = true
	}
	return passed, nil
}

// errEvalTimeout is the cause of a context that the time bound ended.
var errEvalTimeout = errors.New("evaluation timeout")

// eval runs a prepared query within the time bound. A query stopped
// there fails with an error that says so; each scorecard then gets a
// bound of its own when evaluated alone, so a looping one is told apart.
func (e *Engine) eval(ctx context.Context, q rego.PreparedEvalQuery, input ast.Value) (*ast.Term, error) {
	ctx, stop := context.WithTimeoutCause(ctx, e.timeout, errEvalTimeout)
	defer stop()
	t, err := evalQuery(ctx, q, input)
	if err != nil && context.Cause(ctx) == errEvalTimeout {
		return nil, fmt.Errorf("ran longer than %s and was stopped (policy.eval_timeout): %w", e.timeout, err)
	}
	return t, err
}

// evalQuery runs a prepared query and returns its one value. The
// evaluator shares code with the compiler, which panics on some hostile
// sources: a panic is an error of the evaluation, not of the process.
func evalQuery(ctx context.Context, q rego.PreparedEvalQuery, input ast.Value) (_ *ast.Term, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("evaluate: the Rego evaluator failed: %v", r)
		}
	}()
	cancel := topdown.NewCancel()
	stop := context.AfterFunc(ctx, cancel.Cancel)
	defer stop()
	rs, err := q.Eval(ctx,
		rego.EvalParsedInput(input),
		rego.EvalGenerateJSON(keepTerm),
		rego.EvalMetrics(noMetrics),
		rego.EvalExternalCancel(cancel),
	)
	if err != nil {
		return nil, fmt.Errorf("evaluate: %w", err)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, fmt.Errorf("evaluate: query gave %d results", len(rs))
	}
	t, _ := rs[0].Expressions[0].Value.(*ast.Term)
	if t == nil {
		return nil, fmt.Errorf("evaluate: unexpected result %T", rs[0].Expressions[0].Value)
	}
	return t, nil
}

// match reports whether the scorecard judges d.
func (a AppliesTo) match(d *descriptor.Document) bool {
	spec := d.Root.Get("spec")
	return (len(a.Kinds) == 0 || slices.ContainsFunc(a.Kinds, func(k string) bool { return strings.EqualFold(k, d.Kind()) })) &&
		matchText(a.Types, spec.Get("type")) &&
		matchText(a.Lifecycles, spec.Get("lifecycle")) &&
		(len(a.Tags) == 0 || hasTag(a.Tags, d.Root.Get("metadata").Get("tags")))
}

func matchText(want []string, v *descriptor.Value) bool {
	if len(want) == 0 {
		return true
	}
	s, ok := v.Text()
	return ok && slices.Contains(want, s)
}

func hasTag(want []string, tags *descriptor.Value) bool {
	if tags == nil || tags.Kind != descriptor.List {
		return false
	}
	return slices.ContainsFunc(tags.Items, func(t *descriptor.Value) bool { return matchText(want, t) })
}

func entityName(d *descriptor.Document) string {
	return strings.ToLower(d.Kind()) + ":" + d.Namespace() + "/" + d.Name()
}
