package policy

import (
	"math"
	"strconv"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/portico-dev/portico/app/descriptor"
)

// toAST converts a descriptor value to the Rego value that JSON decoding
// of the same document would give, without the JSON detour. Conversion
// is a large share of the cost of evaluating a document, so it counts the
// nodes first and carves every term, key pair and list out of three
// allocations, and shares the terms of well-known keys and values.
func toAST(v *descriptor.Value) ast.Value {
	var n counts
	n.add(v)
	c := converter{
		terms: make([]ast.Term, n.terms),
		items: make([]*ast.Term, n.items),
		pairs: make([][2]*ast.Term, 0, n.depthPairs),
	}
	return c.value(v)
}

// counts sizes the slabs: terms for every value and uncommon key, items
// for every list element, and depthPairs bounds the pair stack.
type counts struct {
	terms, items, depthPairs int
}

func (n *counts) add(v *descriptor.Value) int {
	n.terms++
	pairs := 0
	switch {
	case v == nil:
	case v.Kind == descriptor.Map:
		deepest := 0
		n.terms += len(v.Fields) // keys; a slot stays unused for a common one
		for _, f := range v.Fields {
			deepest = max(deepest, n.add(f.Value))
		}
		pairs = len(v.Fields) + deepest
	case v.Kind == descriptor.List:
		n.items += len(v.Items)
		for _, it := range v.Items {
			pairs = max(pairs, n.add(it))
		}
	}
	n.depthPairs = max(n.depthPairs, pairs)
	return pairs
}

type converter struct {
	terms []ast.Term
	items []*ast.Term
	pairs [][2]*ast.Term // a stack: ast.NewObject copies the pairs it gets
}

func (c *converter) term(v ast.Value) *ast.Term {
	t := &c.terms[0]
	c.terms = c.terms[1:]
	t.Value = v
	return t
}

func (c *converter) value(v *descriptor.Value) ast.Value {
	if v == nil {
		return ast.Null{}
	}
	switch v.Kind {
	case descriptor.Bool:
		return ast.Boolean(v.Bool)
	case descriptor.Number:
		return number(v.Num)
	case descriptor.String:
		return ast.String(v.Str)
	case descriptor.Map:
		return c.object(v)
	case descriptor.List:
		items := c.items[:len(v.Items):len(v.Items)]
		c.items = c.items[len(v.Items):]
		for i, it := range v.Items {
			items[i] = c.term(c.value(it))
		}
		return ast.NewArray(items...)
	}
	return ast.Null{}
}

func (c *converter) object(v *descriptor.Value) ast.Value {
	base := len(c.pairs)
	for _, f := range v.Fields {
		val := c.term(c.value(f.Value))
		key := common[f.Key]
		if key == nil {
			key = c.term(ast.String(f.Key))
		}
		c.pairs = append(c.pairs, [2]*ast.Term{key, val})
	}
	o := ast.NewObject(c.pairs[base:]...)
	c.pairs = c.pairs[:base]
	return o
}

// number renders a YAML number as JSON would: integers without exponent,
// and NaN and the infinities, which JSON cannot hold, as null (what
// JSON.stringify makes of them in Backstage).
func number(f float64) ast.Value {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return ast.Null{}
	case f == math.Trunc(f) && math.Abs(f) < 1e15:
		return ast.Number(strconv.FormatInt(int64(f), 10))
	}
	return ast.Number(strconv.FormatFloat(f, 'g', -1, 64))
}

// common holds shared terms for the keys and values most descriptors
// have. Terms are immutable once built, so evaluations share them.
var common = func() map[string]*ast.Term {
	words := []string{
		"apiVersion", "kind", "metadata", "spec", "name", "namespace", "title",
		"description", "labels", "annotations", "tags", "links", "url", "icon",
		"type", "lifecycle", "owner", "system", "domain", "subcomponentOf",
		"providesApis", "consumesApis", "dependsOn", "dependencyOf", "definition",
		"parent", "children", "members", "memberOf", "profile", "displayName",
		"email", "picture", "target", "targets",
		"backstage.io/v1alpha1", "backstage.io/v1beta1",
		"Component", "API", "Resource", "System", "Domain", "Group", "User",
		"Location", "Template", "service", "website", "library", "openapi",
		"asyncapi", "graphql", "grpc", "experimental", "production", "deprecated",
		"team", "database",
		"github.com/project-slug", "backstage.io/techdocs-ref",
		"backstage.io/source-location", "backstage.io/managed-by-location",
		"dir:.",
	}
	m := make(map[string]*ast.Term, len(words))
	for _, w := range words {
		m[w] = ast.StringTerm(w)
	}
	return m
}()
