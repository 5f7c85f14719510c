package templating

import (
	"encoding/json"
	"sort"
	"strings"
)

// SampleValues returns parameter values to check t with, one for every
// property of every page: its default, else the first of its examples,
// else its const or first enum value, else a value of its type that its
// schema accepts (see sampleOf). Values fills in the defaults and
// checks the result as it checks a user's answers.
func SampleValues(t *Template) map[string]any {
	out := map[string]any{}
	sm := &sampler{left: maxSampleValues}
	for _, p := range t.Pages {
		sm.properties(p.Schema, out, 0)
	}
	return out
}

// Bounds of a sample: a schema is outside input (a pull request's
// template), and nested arrays with minItems multiply.
const (
	maxSampleValues = 10_000 // values in all
	maxSampleDepth  = 32     // objects and arrays within each other
)

// sampler makes the values of one sample within its bounds.
type sampler struct{ left int }

// sampleProperties sets a sample for each property of schema that out
// does not hold yet (an earlier page's wins, as Values merges pages).
func (sm *sampler) properties(schema map[string]any, out map[string]any, depth int) {
	props, _ := schema["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		prop, ok := props[name].(map[string]any)
		if _, has := out[name]; has || !ok {
			continue
		}
		if _, has := prop["ui:field"]; !has && nameFields[strings.ToLower(name)] != "" {
			prop = withField(prop, nameFields[strings.ToLower(name)])
		}
		out[name] = sm.of(prop, depth)
	}
}

// of is one property's sample value; past the bounds, objects and
// arrays are empty.
func (sm *sampler) of(prop map[string]any, depth int) any {
	sm.left--
	if d, ok := prop["default"]; ok {
		return copyValue(d)
	}
	if ex, ok := prop["examples"].([]any); ok && len(ex) > 0 {
		return copyValue(ex[0])
	}
	if c, ok := prop["const"]; ok {
		return copyValue(c)
	}
	if enum, ok := prop["enum"].([]any); ok && len(enum) > 0 {
		return copyValue(enum[0])
	}
	switch schemaType(prop) {
	case "string":
		return sampleString(prop)
	case "integer", "number":
		return sampleNumber(prop)
	case "boolean":
		return false
	case "array":
		return sm.array(prop, depth+1)
	case "object":
		obj := map[string]any{}
		if sm.left > 0 && depth < maxSampleDepth {
			sm.properties(prop, obj, depth+1)
		}
		return obj
	case "null":
		return nil
	}
	return "example"
}

// schemaType is a schema's type: the first one not null of a list, or
// the first branch's of anyOf or oneOf when it has none.
func schemaType(prop map[string]any) string {
	switch t := prop["type"].(type) {
	case string:
		return t
	case []any:
		for _, it := range t {
			if s, ok := it.(string); ok && s != "null" {
				return s
			}
		}
	}
	for _, key := range []string{"anyOf", "oneOf"} {
		if list, ok := prop[key].([]any); ok && len(list) > 0 {
			if sub, ok := list[0].(map[string]any); ok {
				return schemaType(sub)
			}
		}
	}
	if _, ok := prop["properties"]; ok {
		return "object"
	}
	return ""
}

// fieldSamples are the values Backstage's own field extensions produce,
// which templates then read with filters such as parseRepoUrl.
var fieldSamples = map[string]string{
	"RepoUrlPicker":     "github.com?owner=example&repo=example",
	"OwnerPicker":       "group:default/example",
	"MyGroupsPicker":    "group:default/example",
	"OwnedEntityPicker": "component:default/example",
	"EntityPicker":      "component:default/example",
}

// nameFields are the field extensions that Backstage's templates give
// these parameter names, which templates often leave bare and still read
// with parseRepoUrl or parseEntityRef.
var nameFields = map[string]string{"repourl": "RepoUrlPicker", "owner": "OwnerPicker"}

// formatSamples are strings of the JSON Schema formats.
var formatSamples = map[string]string{
	"email": "user@example.com", "idn-email": "user@example.com",
	"uri": "https://example.com", "url": "https://example.com", "iri": "https://example.com",
	"uri-reference": "https://example.com", "hostname": "example.com", "idn-hostname": "example.com",
	"date": "2024-01-01", "date-time": "2024-01-01T00:00:00Z", "time": "00:00:00Z",
	"ipv4": "192.0.2.1", "ipv6": "2001:db8::1", "uuid": "00000000-0000-4000-8000-000000000000",
}

// stringCandidates are tried in order against a string's schema
// (pattern, lengths, format) when no field or format names a sample.
var stringCandidates = []string{
	"example", "example-1", "example_1", "Example", "EXAMPLE", "ex", "e", "x1", "a1",
	"1", "123", "example.com", "example/example", "https://example.com", "user@example.com",
	"v1.0.0", "1.0.0", "2024-01-01", "example example",
}

func sampleString(prop map[string]any) string {
	var cands []string
	if field, _ := prop["ui:field"].(string); fieldSamples[field] != "" {
		cands = append(cands, repoURLSample(field, prop))
	}
	if f, _ := prop["format"].(string); formatSamples[f] != "" {
		cands = append(cands, formatSamples[f])
	}
	cands = append(cands, stringCandidates...)
	if n, ok := number(prop["minLength"]); ok && n > float64(len("example")) {
		cands = append(cands, strings.Repeat("x", int(min(n, 1024))))
	}
	check, err := compilePage(0, withoutDefault(prop))
	if err != nil {
		return cands[0]
	}
	for _, c := range cands {
		if check.Validate(c) == nil {
			return c
		}
	}
	return cands[0]
}

// repoURLSample is a field's sample; a RepoUrlPicker's on the first host
// its options allow.
func repoURLSample(field string, prop map[string]any) string {
	if field != "RepoUrlPicker" {
		return fieldSamples[field]
	}
	opts, _ := prop["ui:options"].(map[string]any)
	if hosts, ok := opts["allowedHosts"].([]any); ok && len(hosts) > 0 {
		if h, ok := hosts[0].(string); ok && h != "" {
			return h + "?owner=example&repo=example"
		}
	}
	return fieldSamples[field]
}

// sampleNumber is 1 (0 for a number that may be 0 or less) moved inside
// the schema's bounds.
func sampleNumber(prop map[string]any) any {
	v := 1.0
	if lo, ok := number(prop["minimum"]); ok && v < lo {
		v = lo
	}
	if lo, ok := number(prop["exclusiveMinimum"]); ok && v <= lo {
		v = lo + 1
	}
	if hi, ok := number(prop["maximum"]); ok && v > hi {
		v = hi
	}
	if hi, ok := number(prop["exclusiveMaximum"]); ok && v >= hi {
		v = hi - 1
	}
	if schemaType(prop) == "integer" {
		return int64(v)
	}
	return v
}

func (sm *sampler) array(prop map[string]any, depth int) []any {
	out := []any{}
	n, _ := number(prop["minItems"])
	items, _ := prop["items"].(map[string]any)
	for i := 0; i < int(min(n, 100)) && sm.left > 0 && depth < maxSampleDepth; i++ {
		out = append(out, sm.of(items, depth))
	}
	return out
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

func withField(prop map[string]any, field string) map[string]any {
	out := make(map[string]any, len(prop)+1)
	for k, v := range prop {
		out[k] = v
	}
	out["ui:field"] = field
	return out
}

// withoutDefault is a property's schema as a schema of its own: its
// default and examples are data, not constraints.
func withoutDefault(prop map[string]any) map[string]any {
	out := make(map[string]any, len(prop))
	for k, v := range prop {
		if k != "default" && k != "examples" {
			out[k] = v
		}
	}
	return out
}
