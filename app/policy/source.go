package policy

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/portico-dev/portico/app/descriptor"
)

// root is the package that policies live under; the rule id of a string
// finding is its package path without this prefix.
const root = "portico"

// source is one deny or warn set of one package.
type source struct {
	ref      ast.Ref // data.portico.<pkg>.deny
	rule     string  // default rule id: <pkg>
	severity descriptor.Severity
}

var severities = map[string]descriptor.Severity{
	"deny": descriptor.SeverityError,
	"warn": descriptor.SeverityWarning,
}

var rootRef = ast.MustParseRef("data." + root)

// findSources lists the deny and warn sets of every package under
// portico, in a stable order, and refuses those that are not partial sets:
// Eval relies on them being sets, which are never undefined.
func findSources(modules map[string]*ast.Module) ([]source, error) {
	found := map[string]source{}
	for _, name := range slices.Sorted(maps.Keys(modules)) {
		m := modules[name]
		pkg := m.Package.Path
		if !pkg.HasPrefix(rootRef) {
			continue
		}
		for _, r := range m.Rules {
			head := r.Head.Ref()
			sev, ok := severities[head[0].Value.String()]
			if !ok {
				continue
			}
			if len(head) != 1 || r.Head.RuleKind() != ast.MultiValue || r.Default {
				return nil, fmt.Errorf("load policies: %s: %s must be a partial set: write `%s contains msg if { ... }`",
					r.Location, head, head[0])
			}
			ref := pkg.Copy().Append(ast.StringTerm(head[0].Value.String()))
			found[ref.String()] = source{ref: ref, rule: ruleID(pkg), severity: sev}
		}
	}
	return slices.SortedFunc(maps.Values(found), func(a, b source) int {
		return cmp.Compare(a.ref.String(), b.ref.String())
	}), nil
}

// ruleID turns data.portico.ownership into "ownership".
func ruleID(pkg ast.Ref) string {
	id := strings.TrimPrefix(pkg.String(), "data.")
	if rest, ok := strings.CutPrefix(id, root+"."); ok {
		return rest
	}
	return id
}
