package descriptor

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// anchor tracks how often an anchored node was dereferenced, to apply the
// same alias limit as Backstage's YAML library.
type anchor struct {
	value      *Value
	count      int
	aliasCount int
	size       int
	building   bool
}

// builder converts a yaml.v3 node tree into Values. Aliases share the
// anchored Value rather than copy it.
type builder struct {
	offset   int
	doc      *Document
	anchors  map[*yaml.Node]*anchor
	expanded int
	failed   bool
}

func (b *builder) fail(rule, msg string, n *yaml.Node) {
	if b.failed {
		return
	}
	b.failed = true
	b.doc.Findings = append(b.doc.Findings, b.doc.at(rule, msg, n.Line+b.offset, n.Column))
}

func (b *builder) value(n *yaml.Node) *Value {
	v := &Value{Line: n.Line + b.offset, Column: n.Column}
	if b.failed {
		return v
	}
	var a *anchor
	if n.Anchor != "" {
		a = &anchor{value: v, building: true}
		b.anchors[n] = a
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return b.value(n.Content[0])
		}
	case yaml.AliasNode:
		return b.alias(n)
	case yaml.ScalarNode:
		b.scalar(n, v)
	case yaml.SequenceNode:
		v.Kind = List
		v.Items = make([]*Value, 0, len(n.Content))
		for _, c := range n.Content {
			v.Items = append(v.Items, b.value(c))
		}
	case yaml.MappingNode:
		b.mapping(n, v)
	}
	if a != nil {
		a.building = false
	}
	return v
}

func (b *builder) scalar(n *yaml.Node, v *Value) {
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		v.Kind, v.Str = String, n.Value
		return
	}
	if n.Style&yaml.TaggedStyle == 0 {
		resolvePlain(n.Value, v)
		return
	}
	switch n.ShortTag() {
	case "!!null", "!!bool", "!!int", "!!float":
		resolvePlain(n.Value, v)
	default:
		v.Kind, v.Str = String, n.Value
	}
}

func (b *builder) mapping(n *yaml.Node, v *Value) {
	v.Kind = Map
	v.Fields = make([]Field, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn := n.Content[i]
		k := b.value(kn)
		if k.Kind == Map || k.Kind == List {
			b.fail(RuleYAML, "mapping keys must be scalars", kn)
			return
		}
		key := keyString(k)
		for _, f := range v.Fields {
			if f.Key == key && sameKey(f, k) {
				b.fail(RuleDupKey, fmt.Sprintf("duplicate key %q", key), kn)
				return
			}
		}
		v.Fields = append(v.Fields, Field{Key: key, Line: k.Line, Column: k.Column, keyKind: k.Kind, Value: b.value(n.Content[i+1])})
	}
}

// sameKey compares keys as the YAML library does: equal scalars of the same
// type, so that 1 and "1" are different keys.
func sameKey(f Field, k *Value) bool {
	return f.keyKind == k.Kind
}

func (b *builder) alias(n *yaml.Node) *Value {
	a := b.anchors[n.Alias]
	if a == nil || a.building {
		b.fail(RuleAlias, fmt.Sprintf("alias *%s refers to an anchor that encloses it", n.Value), n)
		return &Value{Line: n.Line + b.offset, Column: n.Column}
	}
	a.count++
	if a.aliasCount == 0 {
		a.aliasCount = b.aliasCountOf(n.Alias)
		a.size = b.sizeOf(n.Alias)
	}
	b.expanded += a.size
	if a.count*a.aliasCount > maxAliasCount || b.expanded > maxExpandedNodes {
		b.fail(RuleAlias, "excessive alias expansion: refused as a resource exhaustion attack", n)
	}
	return a.value
}

// aliasCountOf follows the YAML library's getAliasCount.
func (b *builder) aliasCountOf(n *yaml.Node) int {
	switch n.Kind {
	case yaml.AliasNode:
		if a := b.anchors[n.Alias]; a != nil {
			return a.count * a.aliasCount
		}
		return 0
	case yaml.MappingNode, yaml.SequenceNode, yaml.DocumentNode:
		m := 0
		for _, c := range n.Content {
			m = max(m, b.aliasCountOf(c))
		}
		return m
	}
	return 1
}

// sizeOf counts the nodes of n with its aliases expanded.
func (b *builder) sizeOf(n *yaml.Node) int {
	if n.Kind == yaml.AliasNode {
		if a := b.anchors[n.Alias]; a != nil && a.size > 0 {
			return a.size
		}
		return 1
	}
	s := 1
	for _, c := range n.Content {
		s += b.sizeOf(c)
		if s > maxExpandedNodes {
			return s
		}
	}
	return s
}
