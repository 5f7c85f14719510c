package githubtest

import (
	"encoding/json"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// filler completes a JSON value so that every property the schema requires
// is present, as GitHub sends them all: nullable ones as null, URLs derived
// from the object's own "url", the rest as zero values. The fake builds
// responses with go-github types, whose omitempty tags drop exactly the
// fields GitHub always includes; filling them back gives clients the shape
// GitHub's description promises.
type filler struct {
	base string // the fake's URL, for URLs nothing else gives
	now  string // RFC 3339, for timestamps nothing else gives
}

// fillJSON marshals v and completes it against sc (nil: left as is).
func (f *filler) fillJSON(sc *openapi3.SchemaRef, v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	if sc == nil {
		return out, nil
	}
	return f.fill(sc.Value, out), nil
}

func (f *filler) fill(sc *openapi3.Schema, v any) any {
	if sc == nil || v == nil {
		return v
	}
	for _, sub := range sc.AllOf {
		v = f.fill(sub.Value, v)
	}
	if alt := f.alternative(sc, v); alt != nil {
		return f.fill(alt, v)
	}
	switch v := v.(type) {
	case map[string]any:
		return f.fillObject(sc, v)
	case []any:
		if sc.Items != nil {
			for i := range v {
				v[i] = f.fill(sc.Items.Value, v[i])
			}
		}
	}
	return v
}

func (f *filler) fillObject(sc *openapi3.Schema, m map[string]any) map[string]any {
	for _, name := range sc.Required {
		if _, ok := m[name]; ok {
			continue
		}
		prop := sc.Properties[name]
		if prop == nil {
			continue
		}
		m[name] = f.zero(name, prop.Value, m)
	}
	for name, val := range m {
		if prop := sc.Properties[name]; prop != nil {
			m[name] = f.fill(prop.Value, val)
		}
	}
	return m
}

// alternative picks the oneOf/anyOf branch that fits v: the discriminator's
// mapping when there is one, else the first branch of v's JSON type.
func (f *filler) alternative(sc *openapi3.Schema, v any) *openapi3.Schema {
	branches := append(append(openapi3.SchemaRefs{}, sc.OneOf...), sc.AnyOf...)
	if len(branches) == 0 {
		return nil
	}
	if d := sc.Discriminator; d != nil {
		if m, ok := v.(map[string]any); ok {
			if key, ok := m[d.PropertyName].(string); ok {
				for _, b := range branches {
					if b.Ref != "" && b.Ref == d.Mapping[key].Ref {
						return b.Value
					}
				}
			}
		}
	}
	for _, b := range branches {
		if b.Value != nil && typeFits(b.Value, v) {
			return b.Value
		}
	}
	return nil
}

func typeFits(sc *openapi3.Schema, v any) bool {
	if sc.Type == nil || sc.Type.IsEmpty() {
		return len(sc.OneOf)+len(sc.AnyOf)+len(sc.AllOf) > 0 || sc.Properties != nil
	}
	switch v.(type) {
	case map[string]any:
		return sc.Type.Includes("object")
	case []any:
		return sc.Type.Includes("array")
	case string:
		return sc.Type.Includes("string")
	case bool:
		return sc.Type.Includes("boolean")
	case float64:
		return sc.Type.Includes("number") || sc.Type.Includes("integer")
	}
	return false
}

// zero is the value GitHub would send for a required property that the
// fake has nothing for.
func (f *filler) zero(name string, sc *openapi3.Schema, parent map[string]any) any {
	if sc == nil || sc.Nullable || (sc.Type != nil && sc.Type.Includes("null")) {
		return nil
	}
	if len(sc.Enum) > 0 {
		return sc.Enum[0]
	}
	if alt := firstBranch(sc); alt != nil {
		return f.zero(name, alt, parent)
	}
	switch {
	case sc.Type == nil:
		return nil
	case sc.Type.Includes("object"):
		return f.fillObject(sc, map[string]any{})
	case sc.Type.Includes("array"):
		return []any{}
	case sc.Type.Includes("integer"), sc.Type.Includes("number"):
		return 0
	case sc.Type.Includes("boolean"):
		return false
	case sc.Type.Includes("string"):
		return f.zeroString(name, sc, parent)
	}
	return nil
}

func firstBranch(sc *openapi3.Schema) *openapi3.Schema {
	for _, group := range []openapi3.SchemaRefs{sc.OneOf, sc.AnyOf, sc.AllOf} {
		for _, b := range group {
			if b.Value != nil {
				return b.Value
			}
		}
	}
	return nil
}

func (f *filler) zeroString(name string, sc *openapi3.Schema, parent map[string]any) string {
	switch {
	case sc.Format == "date-time":
		return f.now
	case strings.HasSuffix(name, "_url") || sc.Format == "uri":
		if u, ok := parent["url"].(string); ok && u != "" {
			return u + "/" + strings.TrimSuffix(name, "_url")
		}
		return f.base + "/_unset/" + name
	}
	return ""
}
