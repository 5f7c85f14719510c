package descriptor

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// anchor tracks how often an anchored node was dereferenced, to apply the
// same alias limit as Backstage's YAML library: count starts at 1 for the
// anchored node itself.
type anchor struct {
	value      *Value
	count      int
	aliasCount int
	size       int
	building   bool
}

// flowIndicators cannot be part of an anchor name in YAML 1.2; yaml.v3
// lets "]" and "}" through, Backstage's parser does not.
const flowIndicators = ",[]{}"

// builder converts a yaml.v3 node tree into Values. Aliases share the
// anchored Value rather than copy it.
type builder struct {
	src      []byte   // source of the document
	lines    [][]byte // src split in lines, when nonSpecific needs them
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
	if strings.ContainsAny(n.Anchor, flowIndicators) || n.Kind == yaml.AliasNode && strings.ContainsAny(n.Value, flowIndicators) {
		b.fail(RuleYAML, "YAML syntax error: anchor and alias names cannot contain , [ ] { }", n)
		return v
	}
	var a *anchor
	if n.Anchor != "" {
		a = &anchor{value: v, count: 1, building: true}
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
			if n.Style&yaml.FlowStyle == 0 {
				b.checkFlowIndent(c, nil, n.Column)
			}
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
	if n.Style&yaml.TaggedStyle == 0 {
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			v.Kind, v.Str = String, n.Value
			return
		}
		resolvePlain(n.Value, v)
		if v.Kind != String && b.nonSpecific(n) {
			v.Kind, v.Str = String, n.Value
		}
		return
	}
	b.tagged(n, v)
}

// nonSpecific reports whether the scalar carries the non-specific tag "!",
// which makes it a string. The YAML library resolves such a scalar as if it
// had no tag, so the source is read at the node's properties.
func (b *builder) nonSpecific(n *yaml.Node) bool {
	lines := b.srcLines()
	if n.Line < 1 || n.Line > len(lines) {
		return false
	}
	line, col := lines[n.Line-1], 1
	for len(line) > 0 && col < n.Column {
		_, size := utf8.DecodeRune(line)
		line, col = line[size:], col+1
	}
	for len(line) > 0 && (line[0] == '!' || line[0] == '&') {
		end := bytes.IndexAny(line, " \t\r")
		if end < 0 {
			end = len(line)
		}
		if end == 1 && line[0] == '!' {
			return true
		}
		line = bytes.TrimLeft(line[end:], " \t")
	}
	return false
}

// tagged resolves an explicitly tagged scalar as Backstage's YAML library
// does: a core tag applies only when its pattern matches the text, quoted or
// not, and any other tag leaves a string. !!timestamp and !!binary become
// JavaScript objects (Date, Uint8Array) there, so they are mappings without
// fields here: not strings, not numbers.
func (b *builder) tagged(n *yaml.Node, v *Value) {
	s := n.Value
	v.Kind, v.Str = String, s
	switch n.ShortTag() {
	case "!!null":
		if isNullWord(s) {
			v.Kind, v.Str = Null, ""
		}
	case "!!bool":
		if t, ok := boolWord(s); ok {
			v.Kind, v.Bool, v.Str = Bool, t, ""
		}
	case "!!int":
		if f, ok := coreInt(s); ok {
			v.Kind, v.Num = Number, f
		}
	case "!!float":
		if f, ok := coreFloat(s); ok {
			v.Kind, v.Num = Number, f
		}
	case "!!timestamp":
		if !isTimestamp(s) {
			b.fail(RuleYAML, "!!timestamp expects a date, starting with yyyy-mm-dd", n)
		}
		v.Kind = Map
	case "!!binary":
		v.Kind = Map
	}
}

func (b *builder) mapping(n *yaml.Node, v *Value) {
	v.Kind = Map
	v.Fields = make([]Field, 0, len(n.Content)/2)
	var seen map[keyID]bool // past a few keys, so that duplicates stay linear
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		k := b.value(kn)
		key := keyString(k)
		if len(v.Fields) == 8 {
			seen = make(map[keyID]bool, len(n.Content)/2)
			for _, f := range v.Fields {
				seen[keyID{f.Key, f.keyKind}] = true
			}
		}
		if b.duplicate(v.Fields, seen, key, k) {
			b.fail(RuleDupKey, fmt.Sprintf("duplicate key %q", key), kn)
			return
		}
		if seen != nil && comparableKey(k) {
			seen[keyID{key, k.Kind}] = true
		}
		if n.Style&yaml.FlowStyle == 0 {
			b.checkFlowIndent(vn, kn, 0)
		}
		v.Fields = append(v.Fields, Field{Key: key, Line: k.Line, Column: k.Column, keyKind: k.Kind, Value: b.value(vn)})
	}
}

type keyID struct {
	key  string
	kind Kind
}

func (b *builder) duplicate(fields []Field, seen map[keyID]bool, key string, k *Value) bool {
	if !comparableKey(k) {
		return false
	}
	if seen != nil {
		return seen[keyID{key, k.Kind}]
	}
	for _, f := range fields {
		if f.Key == key && f.keyKind == k.Kind {
			return true
		}
	}
	return false
}

// comparableKey reports whether a key can equal another, as the YAML
// library compares them: scalars only, and NaN equals nothing.
func comparableKey(k *Value) bool {
	return k.Kind != Map && k.Kind != List && !(k.Kind == Number && k.Num != k.Num)
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
