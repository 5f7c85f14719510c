package policy

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/metrics"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/portico-dev/portico/app/descriptor"
)

// noMetrics is shared by every evaluation: the default is a fresh,
// mutex-guarded metrics set per Eval that nobody reads.
var noMetrics = metrics.NoOp()

// keepTerm hands the query result back as the evaluator's own term, so
// that Eval reads it without a round trip through Go maps.
func keepTerm(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil }

// Eval evaluates the document against the bundle and returns its
// findings: deny as errors, warn as warnings, located at the path a
// policy names (or the document's first line), sorted by position, rule
// and message. A document that could not be parsed has no findings.
func (e *Engine) Eval(ctx context.Context, d *descriptor.Document) ([]descriptor.Finding, error) {
	if d == nil || d.Root == nil || len(e.sources) == 0 {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("evaluate policies: %w", err)
	}
	sets, err := e.eval(ctx, toAST(d.Root))
	if err != nil {
		return nil, err
	}
	var out []descriptor.Finding
	for i, s := range e.sources {
		set, ok := sets.Elem(i).Value.(ast.Set)
		if !ok {
			return nil, fmt.Errorf("evaluate %s: not a set", s.ref)
		}
		for _, t := range set.Slice() {
			f, err := s.finding(t.Value, d)
			if err != nil {
				return nil, err
			}
			out = append(out, f)
		}
	}
	slices.SortFunc(out, compareFindings)
	return out, nil
}

// eval runs the prepared query and returns its one result, the array of
// sets in the order of e.sources.
func (e *Engine) eval(ctx context.Context, input ast.Value) (*ast.Array, error) {
	cancel := topdown.NewCancel()
	stop := context.AfterFunc(ctx, cancel.Cancel)
	defer stop()
	rs, err := e.query.Eval(ctx,
		rego.EvalParsedInput(input),
		rego.EvalGenerateJSON(keepTerm),
		rego.EvalMetrics(noMetrics),
		rego.EvalExternalCancel(cancel),
	)
	if err != nil {
		return nil, fmt.Errorf("evaluate policies: %w", err)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, fmt.Errorf("evaluate policies: query gave %d results", len(rs))
	}
	t, _ := rs[0].Expressions[0].Value.(*ast.Term)
	if t == nil {
		return nil, fmt.Errorf("evaluate policies: unexpected result %T", rs[0].Expressions[0].Value)
	}
	arr, ok := t.Value.(*ast.Array)
	if !ok || arr.Len() != len(e.sources) {
		return nil, fmt.Errorf("evaluate policies: unexpected result %v", t)
	}
	return arr, nil
}

func compareFindings(a, b descriptor.Finding) int {
	return cmp.Or(
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(a.Severity, b.Severity),
		cmp.Compare(a.Path, b.Path),
	)
}
