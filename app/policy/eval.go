package policy

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

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
// findings: deny as errors, warn as warnings, unless the severity table
// says otherwise, located at the path a policy names (or the document's
// first line), sorted by position, rule and message. A document that
// could not be parsed has no findings. Findings already on d are those of
// Backstage's rules, which run first: a policy finding at or under the
// path of one of their errors is the same problem told twice, and is left
// out, as is the same finding from two packages (the most severe stays).
// An evaluation that outlasts the timeout is stopped and is an error.
func (e *Engine) Eval(ctx context.Context, d *descriptor.Document) ([]descriptor.Finding, error) {
	if d == nil || d.Root == nil || len(e.sources) == 0 {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("evaluate policies: %w", err)
	}
	ctx, cancel := context.WithTimeoutCause(ctx, e.timeout, errEvalTimeout)
	defer cancel()
	sets, err := e.eval(ctx, toAST(d.Root))
	if err != nil {
		if context.Cause(ctx) == errEvalTimeout {
			return nil, fmt.Errorf("policies ran longer than %s on this document and were stopped (policy.eval_timeout): %w", e.timeout, err)
		}
		return nil, err
	}
	out, err := e.findings(sets, d)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, compareFindings)
	return slices.CompactFunc(out, sameProblem), nil
}

// findings decodes the sets of every source, applying the severity table
// and leaving out what Backstage's rules already reported.
func (e *Engine) findings(sets *ast.Array, d *descriptor.Document) ([]descriptor.Finding, error) {
	reported := errorPaths(d)
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
			if sev, ok := e.severity[f.Rule]; ok {
				if sev == SeverityOff {
					continue
				}
				f.Severity = descriptor.Severity(sev)
			}
			if !covered(reported, f.Path) {
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// errorPaths lists the paths of the errors already on d.
func errorPaths(d *descriptor.Document) []string {
	var paths []string
	for _, f := range d.Findings {
		if f.Severity == descriptor.SeverityError && f.Path != "" {
			paths = append(paths, f.Path)
		}
	}
	return paths
}

// covered reports whether path is one of paths or lies under one: an
// error on `spec` (not a mapping) covers `spec.system`.
func covered(paths []string, path string) bool {
	for _, p := range paths {
		if rest, ok := strings.CutPrefix(path, p); ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
			return true
		}
	}
	return false
}

// eval runs the prepared query and returns its one result, the array of
// sets in the order of e.sources.
func (e *Engine) eval(ctx context.Context, input ast.Value) (_ *ast.Array, err error) {
	// OPA's compiler panics on some hostile bundles (see compileModules);
	// its evaluator runs the same code on documents from anyone, and a
	// panic there must not take down the run or the App.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("evaluate policies: the Rego evaluator failed on this document: %v", r)
		}
	}()
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

// compareFindings orders by position, rule, message and path, and puts
// an error before a warning that is otherwise the same, for sameProblem.
func compareFindings(a, b descriptor.Finding) int {
	return cmp.Or(
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(a.Path, b.Path),
		cmp.Compare(severityRank(a.Severity), severityRank(b.Severity)),
	)
}

func severityRank(s descriptor.Severity) int {
	if s == descriptor.SeverityError {
		return 0
	}
	return 1
}

// sameProblem is true of two findings that differ at most in severity:
// an organisation policy that denies what a default rule warns about.
func sameProblem(a, b descriptor.Finding) bool {
	a.Severity = b.Severity
	return a == b
}
