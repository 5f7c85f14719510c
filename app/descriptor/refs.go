package descriptor

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Ref is an entity reference: the kind, namespace and name of an entity.
type Ref struct {
	Kind      string
	Namespace string
	Name      string
}

var errEmptyRef = errors.New("entity reference must not be empty")

// ParseRef reads an entity reference `[kind:][namespace/]name` as
// Backstage's parseEntityRef does. A part that is written must not be
// empty; a missing kind takes defaultKind, and is an error when that is
// empty too; a missing namespace takes defaultNamespace, or "default".
// Parts are not otherwise checked: "a:b:c" is kind a, name b:c, and a colon
// after the first slash belongs to the name.
func ParseRef(s, defaultKind, defaultNamespace string) (Ref, error) {
	if s == "" {
		return Ref{}, errEmptyRef
	}
	colon, slash := strings.IndexByte(s, ':'), strings.IndexByte(s, '/')
	if slash >= 0 && slash < colon {
		colon = -1
	}
	r := Ref{Kind: defaultKind, Namespace: defaultNamespace, Name: s[max(colon+1, slash+1):]}
	if r.Namespace == "" {
		r.Namespace = DefaultNamespace
	}
	if colon >= 0 {
		r.Kind = s[:colon]
	}
	if slash >= 0 {
		r.Namespace = s[colon+1 : slash]
	}
	if (colon >= 0 && r.Kind == "") || (slash >= 0 && r.Namespace == "") || r.Name == "" {
		return Ref{}, fmt.Errorf("entity reference %q was not on the form [<kind>:][<namespace>/]<name>", s)
	}
	if r.Kind == "" {
		return Ref{}, fmt.Errorf("entity reference %q has no kind (it does not start with \"component:\" or similar)", s)
	}
	return r, nil
}

// String renders the reference as Backstage's stringifyEntityRef does:
// `kind:namespace/name`, all lower-cased, since Backstage compares entity
// references without regard to case.
func (r Ref) String() string {
	return strings.ToLower(r.Kind) + ":" + strings.ToLower(r.Namespace) + "/" + strings.ToLower(r.Name)
}

// Reference is one entity reference of a descriptor: the relation field
// that holds it (such as "spec.owner"), where it is, and what it names.
type Reference struct {
	Field string
	Path  Path
	Ref   Ref
}

// References lists the relation references of the entity: the fields of
// its kind that name other entities (spec.owner, spec.dependsOn, ...), each
// with the kind its references default to and the entity's own namespace
// as theirs. References that do not parse are left out: Validate reports
// them.
func References(d *Document) []Reference {
	if d == nil || d.Root == nil {
		return nil
	}
	k := lookupKind(d.Kind())
	spec := d.Root.Get("spec")
	if k == nil || spec == nil || spec.Kind != Map {
		return nil
	}
	ns := d.Namespace()
	var out []Reference
	for i := range k.fields {
		f := &k.fields[i]
		v := spec.Get(f.key)
		if !f.ref.on || v == nil {
			continue
		}
		field := "spec." + f.key
		eachRef(f, Path{"spec", f.key}, v, func(p Path, item *Value) {
			if r, err := refOf(item, f, ns); err == nil {
				out = append(out, Reference{Field: field, Path: p, Ref: r})
			}
		})
	}
	return out
}

// eachRef calls fn for each reference a field holds: the items of an
// array, or the value itself.
func eachRef(f *specField, p Path, v *Value, fn func(Path, *Value)) {
	if v.Kind != List {
		fn(p, v)
		return
	}
	for i, it := range v.Items {
		fn(p.Index(i), it)
	}
}

// refOf reads the reference in v. Typed fields hold strings; a field
// without a schema (dependencyOf) may also hold what Backstage's
// parseEntityRef accepts of JavaScript values: an object with kind,
// namespace and name.
func refOf(v *Value, f *specField, ns string) (Ref, error) {
	if v.Kind == String {
		return ParseRef(v.Str, f.ref.defaultKind, ns)
	}
	if f.shape != shapeAny {
		return Ref{}, errNotString
	}
	return looseRef(v, f.ref.defaultKind, ns)
}

var errNotString = errors.New("entity reference must be a string")

// looseRef follows parseEntityRef on a value that is not a string: a falsy
// value is empty, an object gives its kind, namespace and name, and
// anything else has neither.
func looseRef(v *Value, defaultKind, ns string) (Ref, error) {
	if !jsTruthy(v) {
		return Ref{}, errEmptyRef
	}
	r := Ref{Kind: defaultKind, Namespace: ns}
	var kind, namespace, name *Value
	if v.Kind == Map {
		kind, namespace, name = v.Get("kind"), v.Get("namespace"), v.Get("name")
	}
	if kind != nil && kind.Kind != Null {
		r.Kind = jsString(kind)
	}
	if namespace != nil && namespace.Kind != Null {
		r.Namespace = jsString(namespace)
	}
	src := describe(v)
	switch {
	case r.Kind == "" || (kind != nil && kind.Kind != Null && !jsTruthy(kind)):
		return Ref{}, fmt.Errorf("entity reference %s had missing or empty kind", src)
	case r.Namespace == "" || (namespace != nil && namespace.Kind != Null && !jsTruthy(namespace)):
		return Ref{}, fmt.Errorf("entity reference %s had missing or empty namespace", src)
	case name == nil || !jsTruthy(name):
		return Ref{}, fmt.Errorf("entity reference %s had missing or empty name", src)
	}
	r.Name = jsString(name)
	return r, nil
}

// jsTruthy is JavaScript's truthiness of the value Backstage would see.
func jsTruthy(v *Value) bool {
	switch v.Kind {
	case Null:
		return false
	case Bool:
		return v.Bool
	case Number:
		return v.Num != 0 && !math.IsNaN(v.Num)
	case String:
		return v.Str != ""
	}
	return true
}

// jsString renders a scalar as JavaScript's String() would, enough for the
// parts of a reference.
func jsString(v *Value) string {
	switch v.Kind {
	case String:
		return v.Str
	case Bool:
		return strconv.FormatBool(v.Bool)
	case Number:
		return formatJSNumber(v.Num)
	case Map:
		return "[object Object]"
	}
	return ""
}

// checkRefs reports the references of a field that Backstage's
// BuiltinKindsEntityProcessor would fail to parse. Paths are built only
// for the bad ones.
func (c *checker) checkRefs(f *specField, p Path, v *Value) {
	ns := c.d.Namespace()
	n := 1
	if v.Kind == List {
		n = len(v.Items)
	}
	for i := 0; i < n; i++ {
		item := v
		if v.Kind == List {
			item = v.Items[i]
		}
		if c.placeholder(item) || (f.shape != shapeAny && (item.Kind != String || item.Str == "")) {
			continue // not a reference, and already reported as such
		}
		if _, err := refOf(item, f, ns); err != nil {
			ip := p
			if v.Kind == List {
				ip = p.Index(i)
			}
			c.badRef(f, ip, item, err)
		}
	}
}

func (c *checker) badRef(f *specField, p Path, v *Value, err error) {
	hint := fmt.Sprintf(" (a reference without a kind is a %s)", f.ref.defaultKind)
	if f.ref.defaultKind == "" {
		hint = fmt.Sprintf("; %s has no default kind, so each reference names one, as in component:my-service", f.key)
	}
	c.fail(f.rule, p, v, fmt.Sprintf("%s is not a valid entity reference: %v%s", field(p), err, hint))
}
