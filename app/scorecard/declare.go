package scorecard

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/portico-dev/portico/app/facts"
)

// Scorecard is one scorecard's declaration.
type Scorecard struct {
	ID        string // the package path after portico.scorecards., with - for _
	Package   string // data.portico.scorecards.<...>
	Title     string
	Levels    []string // lowest first
	AppliesTo AppliesTo
	Rules     []Rule // by level, then in the order declared
}

// AppliesTo selects the entities a scorecard judges. Each non-empty list
// must match: kind (case-insensitive, as Backstage compares kinds),
// spec.type, spec.lifecycle, and at least one of metadata.tags.
type AppliesTo struct {
	Kinds, Types, Lifecycles, Tags []string
}

// Rule is one rule's declaration.
type Rule struct {
	ID      string
	Title   string
	Level   string
	Weight  int
	Message string       // on failure: how to fix it
	Needs   []facts.Fact // facts without which the rule is unknown
}

// None is the level of an entity that reaches no level.
const None = "none"

var ruleIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// declError locates a mistake in a declaration at its term.
func declError(t *ast.Term, format string, a ...any) error {
	msg := fmt.Sprintf(format, a...)
	if t == nil || t.Location == nil {
		return fmt.Errorf("scorecard: %s", msg)
	}
	return fmt.Errorf("%s:%d: scorecard: %s", t.Location.File, t.Location.Row, msg)
}

// declaration reads the constant `scorecard` object of a package.
func declaration(pkg ast.Ref, v *ast.Term) (Scorecard, error) {
	obj, ok := v.Value.(ast.Object)
	if !ok {
		return Scorecard{}, declError(v, "must be an object")
	}
	if err := onlyKeys(obj, "title", "levels", "applies_to", "rules"); err != nil {
		return Scorecard{}, err
	}
	s := Scorecard{ID: scorecardID(pkg), Package: pkg.String()}
	var err error
	if s.Title, err = stringField(v, "", "title"); err != nil {
		return s, err
	}
	if s.Levels, err = levels(v); err != nil {
		return s, err
	}
	if s.AppliesTo, err = appliesTo(obj.Get(ast.StringTerm("applies_to"))); err != nil {
		return s, err
	}
	if s.Rules, err = rules(v, s.Levels); err != nil {
		return s, err
	}
	return s, nil
}

// scorecardID turns data.portico.scorecards.production_readiness into
// production-readiness: Rego names take no hyphens, ids read better with.
func scorecardID(pkg ast.Ref) string {
	parts := make([]string, 0, len(pkg)-3)
	for _, t := range pkg[3:] {
		s, _ := t.Value.(ast.String)
		parts = append(parts, strings.ReplaceAll(string(s), "_", "-"))
	}
	return strings.Join(parts, ".")
}

func onlyKeys(obj ast.Object, allowed ...string) error {
	for _, k := range obj.Keys() {
		s, ok := k.Value.(ast.String)
		if !ok || !slices.Contains(allowed, string(s)) {
			return declError(k, "unknown key %v: want %s", k, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// stringField reads the required string member key of the object term
// v, which the declaration calls what ("" at its top).
func stringField(v *ast.Term, what, key string) (string, error) {
	name := strings.TrimPrefix(what+"."+key, ".")
	t := v.Value.(ast.Object).Get(ast.StringTerm(key))
	if t == nil {
		return "", declError(v, "%s is missing", name)
	}
	s, ok := t.Value.(ast.String)
	if !ok || strings.TrimSpace(string(s)) == "" {
		return "", declError(t, "%s must be a non-empty string", name)
	}
	return string(s), nil
}

// stringList reads an array of distinct non-empty strings.
func stringList(t *ast.Term, what string) ([]string, error) {
	arr, ok := t.Value.(*ast.Array)
	if !ok {
		return nil, declError(t, "%s must be an array of strings", what)
	}
	out := make([]string, 0, arr.Len())
	for i := range arr.Len() {
		e := arr.Elem(i)
		s, ok := e.Value.(ast.String)
		if !ok || s == "" {
			return nil, declError(e, "%s must be an array of non-empty strings", what)
		}
		if slices.Contains(out, string(s)) {
			return nil, declError(e, "%s lists %q twice", what, s)
		}
		out = append(out, string(s))
	}
	return out, nil
}

func levels(v *ast.Term) ([]string, error) {
	t := v.Value.(ast.Object).Get(ast.StringTerm("levels"))
	if t == nil {
		return nil, declError(v, "levels is missing")
	}
	ls, err := stringList(t, "levels")
	if err == nil && len(ls) == 0 {
		err = declError(t, "levels must name at least one level, lowest first")
	}
	if err == nil && slices.Contains(ls, None) {
		err = declError(t, "%q is the level of an entity that reaches none; it cannot be declared", None)
	}
	return ls, err
}

func appliesTo(t *ast.Term) (AppliesTo, error) {
	var a AppliesTo
	if t == nil {
		return a, nil
	}
	obj, ok := t.Value.(ast.Object)
	if !ok {
		return a, declError(t, "applies_to must be an object")
	}
	if err := onlyKeys(obj, "kind", "type", "lifecycle", "tags"); err != nil {
		return a, err
	}
	for _, f := range []struct {
		key string
		dst *[]string
	}{{"kind", &a.Kinds}, {"type", &a.Types}, {"lifecycle", &a.Lifecycles}, {"tags", &a.Tags}} {
		if v := obj.Get(ast.StringTerm(f.key)); v != nil {
			var err error
			if *f.dst, err = stringList(v, "applies_to."+f.key); err != nil {
				return a, err
			}
		}
	}
	return a, nil
}

func rules(v *ast.Term, levels []string) ([]Rule, error) {
	t := v.Value.(ast.Object).Get(ast.StringTerm("rules"))
	if t == nil {
		return nil, declError(v, "rules is missing")
	}
	obj, ok := t.Value.(ast.Object)
	if !ok || obj.Len() == 0 {
		return nil, declError(t, "rules must be an object of rules by id")
	}
	keys := obj.Keys()
	slices.SortFunc(keys, func(a, b *ast.Term) int { return a.Location.Compare(b.Location) })
	var out []Rule
	for _, k := range keys {
		r, err := rule(k, obj.Get(k), levels)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	for _, l := range levels {
		if !slices.ContainsFunc(out, func(r Rule) bool { return r.Level == l }) {
			return nil, declError(t, "level %q has no rule: a level is reached by passing its rules", l)
		}
	}
	slices.SortStableFunc(out, func(a, b Rule) int {
		return cmp.Compare(slices.Index(levels, a.Level), slices.Index(levels, b.Level))
	})
	return out, nil
}

func rule(k, v *ast.Term, levels []string) (Rule, error) {
	id, ok := k.Value.(ast.String)
	if !ok || !ruleIDPattern.MatchString(string(id)) {
		return Rule{}, declError(k, "rule id %v must be lower-case words joined by hyphens", k)
	}
	what := "rules." + string(id)
	obj, ok := v.Value.(ast.Object)
	if !ok {
		return Rule{}, declError(v, "%s must be an object", what)
	}
	if err := onlyKeys(obj, "title", "level", "weight", "message", "needs"); err != nil {
		return Rule{}, err
	}
	r := Rule{ID: string(id)}
	var err error
	for _, f := range []struct {
		key string
		dst *string
	}{{"title", &r.Title}, {"level", &r.Level}, {"message", &r.Message}} {
		if *f.dst, err = stringField(v, what, f.key); err != nil {
			return r, err
		}
	}
	if !slices.Contains(levels, r.Level) {
		return r, declError(obj.Get(ast.StringTerm("level")), "%s.level %q is not one of the levels %q", what, r.Level, levels)
	}
	if r.Weight, err = weight(v, what); err != nil {
		return r, err
	}
	r.Needs, err = needs(obj.Get(ast.StringTerm("needs")), what)
	return r, err
}

func weight(v *ast.Term, what string) (int, error) {
	t := v.Value.(ast.Object).Get(ast.StringTerm("weight"))
	if t == nil {
		return 0, declError(v, "%s.weight is missing", what)
	}
	n, ok := t.Value.(ast.Number)
	if !ok {
		return 0, declError(t, "%s.weight must be a whole number from 1 to 100", what)
	}
	w, ok := n.Int()
	if !ok || w < 1 || w > 100 {
		return 0, declError(t, "%s.weight must be a whole number from 1 to 100", what)
	}
	return w, nil
}

func needs(t *ast.Term, what string) ([]facts.Fact, error) {
	if t == nil {
		return nil, nil
	}
	names, err := stringList(t, what+".needs")
	if err != nil {
		return nil, err
	}
	out := make([]facts.Fact, len(names))
	for i, n := range names {
		if !slices.Contains(facts.All, facts.Fact(n)) {
			return nil, declError(t, "%s.needs: %q is no fact; facts are %q", what, n, facts.All)
		}
		out[i] = facts.Fact(n)
	}
	return out, nil
}
