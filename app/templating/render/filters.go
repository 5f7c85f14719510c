package render

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// backstageFilters are the filters Backstage's scaffolder adds.
func backstageFilters() map[string]exec.FilterFunction {
	return map[string]exec.FilterFunction{
		"parseRepoUrl":   jsonFilter(parseRepoURLFilter),
		"parseEntityRef": jsonFilter(parseEntityRefFilter),
		"pick":           jsonFilter(pickFilter),
		"projectSlug":    jsonFilter(projectSlugFilter),
	}
}

// nunjucksFilters are the Nunjucks built-ins whose results differ from
// gonja's Jinja ones.
func nunjucksFilters() map[string]exec.FilterFunction {
	return map[string]exec.FilterFunction{
		"dump":       filterDump,
		"join":       filterJoin,
		"replace":    filterReplace,
		"title":      filterTitle,
		"capitalize": filterCapitalize,
	}
}

// jsonFilter adapts a filter over plain values; Backstage passes filter
// arguments and results through JSON, so both are normalized.
func jsonFilter(fn func(in any, args []any) (any, error)) exec.FilterFunction {
	return func(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		if in.IsError() {
			return in
		}
		args := make([]any, len(params.Args))
		for i, a := range params.Args {
			args[i] = normalize(a)
		}
		out, err := fn(normalize(in), args)
		if err != nil {
			return exec.AsValue(err)
		}
		if out == nil {
			// The sandbox parses the filter's JSON, and undefined is none.
			return exec.AsValue(errors.New("filter result is undefined"))
		}
		return exec.AsValue(normalize(out))
	}
}

func filterJSOutput(_ *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	return exec.AsSafeValue(jsString(in))
}

// filterLookup is Nunjucks' memberLookup: obj[key], where an undefined
// obj or a missing key gives undefined rather than an error.
func filterLookup(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() || in.IsNil() || len(params.Args) == 0 {
		if in.IsError() {
			return in
		}
		return exec.AsValue(nil)
	}
	key := params.Args[0]
	var item *exec.Value
	found := false
	switch {
	case key.IsString():
		if item, found = in.GetItem(key.String()); !found {
			item, found = in.GetAttribute(key.String())
		}
	case key.IsInteger():
		item, found = in.GetItem(key.Integer())
	}
	if !found || item.IsError() {
		return exec.AsValue(nil)
	}
	return item
}

// filterAdd is JavaScript's +, which Nunjucks compiles a + b to: text if
// either side is text, a list or an object (undefined printing as
// "undefined"), else numbers (undefined is NaN, booleans 1 and 0).
func filterAdd(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	if len(params.Args) != 1 {
		return exec.AsValue(errors.New("+: expected two operands"))
	}
	a, b := normalize(in), normalize(params.Args[0])
	if isJSText(a) || isJSText(b) {
		return exec.AsValue(jsUndefined(a) + jsUndefined(b))
	}
	x, y := jsToNumber(a), jsToNumber(b)
	if ia, ok := a.(int64); ok {
		if ib, ok := b.(int64); ok && ia <= maxSafeInteger && ib <= maxSafeInteger && ia >= -maxSafeInteger && ib >= -maxSafeInteger {
			return exec.AsValue(ia + ib)
		}
	}
	return exec.AsValue(normalizeFloat(x + y))
}

func isJSText(v any) bool {
	switch v.(type) {
	case string, []any, map[string]any:
		return true
	}
	return false
}

func jsToNumber(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	case bool:
		if x {
			return 1
		}
		return 0
	}
	return math.NaN()
}

// filterDump is Nunjucks' dump: JSON.stringify(value, null, spaces).
func filterDump(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	indent := ""
	if len(params.Args) > 0 {
		switch sp := normalize(params.Args[0]).(type) {
		case int64:
			indent = strings.Repeat(" ", int(min(max(sp, 0), 10)))
		case string:
			indent = sp[:min(len(sp), 10)]
		}
	}
	s, _ := jsonStringify(in, indent)
	return exec.AsSafeValue(s)
}

// filterJoin is Nunjucks' join(list, delimiter = "", attribute).
func filterJoin(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	list, ok := normalize(in).([]any)
	if !ok {
		return in
	}
	del, attr := "", ""
	if len(params.Args) > 0 {
		del = jsString(params.Args[0])
	}
	if len(params.Args) > 1 {
		attr = jsString(params.Args[1])
	}
	parts := make([]string, len(list))
	for i, e := range list {
		if attr != "" {
			m, _ := e.(map[string]any)
			e = m[attr]
		}
		parts[i] = jsString(e)
	}
	return exec.AsValue(strings.Join(parts, del))
}

// filterReplace is Nunjucks' replace(str, old, new, maxCount): every
// occurrence unless maxCount says otherwise; "" inserts between letters.
func filterReplace(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	if len(params.Args) < 2 {
		return exec.AsValue(errors.New("replace: expected old and new"))
	}
	src := normalize(in)
	old := normalize(params.Args[0])
	switch o := old.(type) {
	case int64, float64:
		old = jsString(o)
	case string:
	default:
		return in
	}
	str, ok := src.(string)
	if _, num := src.(int64); num {
		str, ok = jsString(src), true
	}
	if !ok {
		return in
	}
	n := -1
	if len(params.Args) > 2 {
		n = params.Args[2].Integer()
	}
	return exec.AsValue(nunjucksReplace(str, old.(string), jsString(params.Args[1]), n))
}

// filterTitle is Nunjucks' title: each space-separated word capitalized,
// so payment-api becomes Payment-api (Jinja gives Payment-Api).
func filterTitle(_ *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	words := strings.Split(jsString(in), " ")
	for i, w := range words {
		words[i] = capitalize(w)
	}
	return exec.AsValue(strings.Join(words, " "))
}

// filterCapitalize is Nunjucks' capitalize: first letter upper, the rest lower.
func filterCapitalize(_ *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	return exec.AsValue(capitalize(jsString(in)))
}

func capitalize(s string) string {
	s = strings.ToLower(s)
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

func nunjucksReplace(str, old, repl string, n int) string {
	if old == "" {
		return repl + strings.Join(strings.Split(str, ""), repl) + repl
	}
	if n < 0 {
		return strings.ReplaceAll(str, old, repl)
	}
	return strings.Replace(str, old, repl, n)
}

// parseRepoURL is what parseRepoUrl gives for a RepoUrlPicker value such as
// github.com?owner=org&repo=name.
func parseRepoURL(s string) (map[string]any, error) {
	u, err := url.Parse("https://" + s)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("invalid repo URL passed to publisher, got %s", s)
	}
	host := strings.ToLower(u.Host)
	q := u.Query()
	out := map[string]any{"host": host}
	for _, k := range []string{"owner", "organization", "workspace", "project", "repo"} {
		if q.Has(k) {
			out[k] = strings.Trim(q.Get(k), "/")
		}
	}
	for _, k := range requiredRepoParams(host, out) {
		if v, _ := out[k].(string); v == "" {
			return nil, fmt.Errorf("invalid repo URL passed to publisher: %s, missing %s", u.String(), k)
		}
	}
	return out, nil
}

// requiredRepoParams follows Backstage's checks per integration type; a
// host portico does not know is taken as a GitHub host.
func requiredRepoParams(host string, spec map[string]any) []string {
	switch {
	case host == "bitbucket.org" || host == "www.bitbucket.org":
		if host == "www.bitbucket.org" {
			return []string{"workspace", "project", "repo"}
		}
		return []string{"project", "repo"}
	case host == "dev.azure.com":
		return []string{"project", "repo"}
	case host == "gitlab.com":
		if _, ok := spec["project"]; ok {
			return nil
		}
		return []string{"owner", "repo"}
	}
	return []string{"repo", "owner"}
}

func parseRepoURLFilter(in any, _ []any) (any, error) {
	s, ok := in.(string)
	if !ok {
		return nil, fmt.Errorf("parseRepoUrl: expected a string, got %s", jsString(in))
	}
	return parseRepoURL(s)
}

func projectSlugFilter(in any, _ []any) (any, error) {
	spec, err := parseRepoURLFilter(in, nil)
	if err != nil {
		return nil, err
	}
	m := spec.(map[string]any)
	return jsUndefined(m["owner"]) + "/" + jsUndefined(m["repo"]), nil
}

// jsUndefined prints v as a JavaScript template literal does, where a
// missing value prints as "undefined".
func jsUndefined(v any) string {
	if v == nil {
		return "undefined"
	}
	return jsString(v)
}

// parseEntityRefFilter is @backstage/catalog-model's parseEntityRef.
func parseEntityRefFilter(in any, args []any) (any, error) {
	var defKind, defNS any
	if len(args) > 0 {
		if c, ok := args[0].(map[string]any); ok {
			defKind, defNS = c["defaultKind"], c["defaultNamespace"]
		}
	}
	if s, _ := defNS.(string); s == "" {
		defNS = "default"
	}
	var kind, ns, name any
	switch r := in.(type) {
	case string:
		if r == "" {
			return nil, errors.New("entity reference must not be empty")
		}
		k, n, nm, err := splitEntityRef(r)
		if err != nil {
			return nil, err
		}
		kind, ns, name = orDefault(k, defKind), orDefault(n, defNS), nm
	case map[string]any:
		kind, ns, name = orDefault(r["kind"], defKind), orDefault(r["namespace"], defNS), r["name"]
	default:
		return nil, errors.New("entity reference must not be empty")
	}
	for _, f := range []struct {
		v    any
		what string
	}{{kind, "kind"}, {ns, "namespace"}, {name, "name"}} {
		if s, _ := f.v.(string); s == "" {
			ref, _ := jsonStringify(in, "")
			return nil, fmt.Errorf("entity reference %s had missing or empty %s", ref, f.what)
		}
	}
	return map[string]any{"kind": kind, "namespace": ns, "name": name}, nil
}

func orDefault(v, def any) any {
	if v == nil {
		return def
	}
	return v
}

// splitEntityRef reads [<kind>:][<namespace>/]<name>; nil is a part left out.
func splitEntityRef(ref string) (kind, ns any, name string, err error) {
	colon, slash := strings.Index(ref, ":"), strings.Index(ref, "/")
	if slash != -1 && slash < colon {
		colon = -1
	}
	if colon != -1 {
		kind = ref[:colon]
	}
	if slash != -1 {
		ns = ref[colon+1 : slash]
	}
	name = ref[max(colon+1, slash+1):]
	if kind == "" || ns == "" || name == "" {
		return nil, nil, "", fmt.Errorf("entity reference %q was not on the form [<kind>:][<namespace>/]<name>", ref)
	}
	return kind, ns, name, nil
}

// pickFilter is lodash's get(object, path): a.b[0].c.
func pickFilter(in any, args []any) (any, error) {
	if len(args) == 0 {
		return nil, nil
	}
	cur := in
	for _, key := range lodashPath(jsString(args[0])) {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[key]
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(c) {
				return nil, nil
			}
			cur = c[i]
		case string:
			if key != "length" {
				return nil, nil
			}
			cur = int64(len([]rune(c)))
		default:
			return nil, nil
		}
	}
	return cur, nil
}

func lodashPath(p string) []string {
	p = strings.NewReplacer("[", ".", "]", "", `"`, "", "'", "").Replace(p)
	var out []string
	for _, k := range strings.Split(p, ".") {
		if k != "" {
			out = append(out, k)
		}
	}
	return out
}
