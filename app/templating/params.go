package templating

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/portico-dev/portico/app/descriptor"
)

// pages reads spec.parameters: one schema object, or a list of pages.
func (l *loader) pages(v *descriptor.Value) []Page {
	var items []*descriptor.Value
	switch {
	case v == nil:
		return nil
	case v.Kind == descriptor.Map:
		items = []*descriptor.Value{v}
	case v.Kind == descriptor.List:
		items = v.Items
	}
	out := make([]Page, 0, len(items))
	for _, it := range items {
		m, ok := it.Interface().(map[string]any)
		if !ok {
			l.fail(RuleParameters, it, "a parameters page must be an object (a JSON Schema)")
			continue
		}
		title, _ := m["title"].(string)
		out = append(out, Page{Title: title, Schema: m, Line: it.Line})
	}
	return out
}

// noLoader refuses every URL a schema refers to: a template's schema is
// read from the template alone, never from files or the network.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("schema reference %s: only references inside the page are read", url)
}

// compile compiles each page as a draft 7 schema, as Backstage's forms
// validate them. Backstage's ui:* keys are unknown keywords: ignored.
func (l *loader) compile(v *descriptor.Value, pages []Page) []*jsonschema.Schema {
	out := make([]*jsonschema.Schema, 0, len(pages))
	for i, p := range pages {
		at := v
		if v != nil && v.Kind == descriptor.List && i < len(v.Items) {
			at = v.Items[i]
		}
		s, err := compilePage(i, p.Schema)
		if err != nil {
			l.fail(RuleParameters, at, "parameters page %d is not a valid JSON Schema (draft 7): %v", i+1, err)
			continue
		}
		out = append(out, s)
	}
	return out
}

func compilePage(i int, schema map[string]any) (*jsonschema.Schema, error) {
	doc, err := jsonData(schema)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	c.UseLoader(noLoader{})
	url := fmt.Sprintf("urn:portico:parameters:page%d", i+1)
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
}

// jsonData converts plain data into the form the schema library reads
// (numbers as json.Number), through JSON.
func jsonData(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("not JSON data: %w", err)
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}

// FieldError is one parameter value that the schema refuses.
type FieldError struct {
	Field   string // dotted path of the value, "" for the whole set
	Message string
}

// ValuesError lists every parameter value a template's schema refuses.
type ValuesError struct {
	Template string
	Fields   []FieldError
}

func (e *ValuesError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		if f.Field == "" {
			parts = append(parts, f.Message)
		} else {
			parts = append(parts, f.Field+": "+f.Message)
		}
	}
	return fmt.Sprintf("template %s: parameter values refused: %s", e.Template, strings.Join(parts, "; "))
}

// MissingParametersError names required parameters that have neither a
// value nor a default: an upgrade to a version that added one stops here
// until the repository's owner adds it to the answers.
type MissingParametersError struct {
	Template string
	Names    []string
}

func (e *MissingParametersError) Error() string {
	return fmt.Sprintf("template %s: required parameter %s has no value and no default", e.Template, strings.Join(e.Names, ", "))
}

// Values checks parameter values against every page of the template's
// schema and returns them with the schema's defaults filled in for the
// values that are missing. values is not modified. A required top-level
// parameter left without a value is a *MissingParametersError; any other
// refusal a *ValuesError naming each field.
func (t *Template) Values(values map[string]any) (map[string]any, error) {
	out := copyMap(values)
	for _, p := range t.Pages {
		applyDefaults(p.Schema, out)
	}
	if missing := t.missingRequired(out); len(missing) > 0 {
		return nil, &MissingParametersError{Template: t.Name, Names: missing}
	}
	data, err := jsonData(out)
	if err != nil {
		return nil, &ValuesError{Template: t.Name, Fields: []FieldError{{Message: err.Error()}}}
	}
	var fields []FieldError
	for _, s := range t.schemas {
		if err := s.Validate(data); err != nil {
			fields = append(fields, fieldErrors(err)...)
		}
	}
	if len(fields) > 0 {
		return nil, &ValuesError{Template: t.Name, Fields: dedupe(fields)}
	}
	return out, nil
}

func (t *Template) missingRequired(values map[string]any) []string {
	var out []string
	for _, p := range t.Pages {
		req, _ := p.Schema["required"].([]any)
		for _, r := range req {
			name, ok := r.(string)
			if _, has := values[name]; ok && !has {
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// fieldErrors flattens a validation error into its leaves, each naming
// the field it is about.
func fieldErrors(err error) []FieldError {
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []FieldError{{Message: err.Error()}}
	}
	var out []FieldError
	var walk func(u *jsonschema.OutputUnit)
	walk = func(u *jsonschema.OutputUnit) {
		if u.Error != nil && len(u.Errors) == 0 {
			out = append(out, leafError(u))
		}
		for i := range u.Errors {
			walk(&u.Errors[i])
		}
	}
	walk(ve.BasicOutput())
	return out
}

func leafError(u *jsonschema.OutputUnit) FieldError {
	field := strings.ReplaceAll(strings.TrimPrefix(u.InstanceLocation, "/"), "/", ".")
	if req, ok := u.Error.Kind.(*kind.Required); ok && len(req.Missing) == 1 {
		return FieldError{Field: joinField(field, req.Missing[0]), Message: "is required"}
	}
	return FieldError{Field: field, Message: u.Error.String()}
}

func joinField(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

func dedupe(fs []FieldError) []FieldError {
	seen := map[FieldError]bool{}
	out := fs[:0]
	for _, f := range fs {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// applyDefaults sets each property's schema default where values has
// none, and descends into nested objects.
func applyDefaults(schema map[string]any, values map[string]any) {
	props, _ := schema["properties"].(map[string]any)
	for name, raw := range props {
		prop, ok := raw.(map[string]any)
		if !ok {
			continue
		}
		v, has := values[name]
		if !has {
			if d, ok := prop["default"]; ok {
				values[name] = copyValue(d)
			}
			continue
		}
		if nested, ok := v.(map[string]any); ok {
			applyDefaults(prop, nested)
		}
	}
}

// Secrets lists the dotted names of the parameters marked secret
// (ui:field: Secret, ui:widget: password or format: password), sorted:
// they are used to render and never stored.
func (t *Template) Secrets() []string {
	set := map[string]bool{}
	for _, p := range t.Pages {
		collectSecrets(p.Schema, "", set)
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func collectSecrets(schema map[string]any, prefix string, set map[string]bool) {
	props, _ := schema["properties"].(map[string]any)
	for name, raw := range props {
		prop, ok := raw.(map[string]any)
		if !ok {
			continue
		}
		if isSecret(prop) {
			set[joinField(prefix, name)] = true
		}
		collectSecrets(prop, joinField(prefix, name), set)
	}
	for _, key := range []string{"allOf", "anyOf", "oneOf"} {
		list, _ := schema[key].([]any)
		for _, it := range list {
			if sub, ok := it.(map[string]any); ok {
				collectSecrets(sub, prefix, set)
			}
		}
	}
	for _, key := range []string{"if", "then", "else"} {
		if sub, ok := schema[key].(map[string]any); ok {
			collectSecrets(sub, prefix, set)
		}
	}
	deps, _ := schema["dependencies"].(map[string]any)
	for _, d := range deps {
		if sub, ok := d.(map[string]any); ok {
			collectSecrets(sub, prefix, set)
		}
	}
}

func isSecret(prop map[string]any) bool {
	return prop["ui:field"] == "Secret" || prop["ui:widget"] == "password" || prop["format"] == "password"
}

// withoutSecrets returns values without the secret parameters.
func withoutSecrets(values map[string]any, secrets []string) map[string]any {
	out := copyMap(values)
	for _, s := range secrets {
		deletePath(out, strings.Split(s, "."))
	}
	return out
}

func deletePath(m map[string]any, p []string) {
	if len(p) == 1 {
		delete(m, p[0])
		return
	}
	if sub, ok := m[p[0]].(map[string]any); ok {
		deletePath(sub, p[1:])
	}
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = copyValue(v)
	}
	return out
}

func copyValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return copyMap(x)
	case []any:
		l := make([]any, len(x))
		for i, it := range x {
			l[i] = copyValue(it)
		}
		return l
	}
	return v
}
