package templating

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/portico-dev/portico/app/tree"
)

// annotatedKinds are the kinds whose rendered descriptors record the
// template they came from.
var annotatedKinds = []string{"Component", "Resource", "API", "System"}

// isDescriptorFile reports whether a rendered file is a catalog
// descriptor that gets the provenance annotations.
func isDescriptorFile(p string) bool {
	b := path.Base(p)
	return b == "catalog-info.yaml" || b == "catalog-info.yml"
}

// annotateTree adds the provenance annotations to every descriptor file
// of a rendered tree.
func annotateTree(t tree.Tree, ann []Annotation) error {
	for _, p := range t.Paths() {
		f := t[p]
		if !isDescriptorFile(p) || f.Mode == tree.Symlink {
			continue
		}
		out, err := Annotate(f.Data, ann)
		if err != nil {
			return fmt.Errorf("annotate %s: %w", p, err)
		}
		f.Data = out
		t[p] = f
	}
	return nil
}

// Annotation is one metadata annotation to set.
type Annotation struct{ Key, Value string }

// provenanceAnnotations are the annotations a rendered descriptor gets.
func (t *Template) provenanceAnnotations() []Annotation {
	return []Annotation{{SourceTemplateAnnotation, t.Ref()}, {VersionAnnotation, t.Version.String()}}
}

// Annotate sets the annotations on every Component, Resource, API and
// System document of a descriptor file. The documents' nodes locate
// where each annotation goes, and lines are inserted or replaced there,
// so the rest of the file keeps its formatting, comments and blank
// lines; only a metadata or annotations mapping written in flow style
// ({...}) makes the whole file re-encoded.
func Annotate(data []byte, ann []Annotation) ([]byte, error) {
	docs, err := decodeAll(data)
	if err != nil {
		return nil, err
	}
	var edits []lineEdit
	for _, d := range docs {
		meta := entityMetadata(d)
		if meta == nil {
			continue
		}
		e, ok := planAnnotations(meta, ann)
		if !ok {
			return reencode(docs, ann)
		}
		edits = append(edits, e...)
	}
	return applyEdits(data, edits), nil
}

// decodeAll reads every document of a YAML stream as nodes; aliases are
// not expanded, and a panic of the YAML library is an error.
func decodeAll(data []byte) (docs []*yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			docs, err = nil, fmt.Errorf("read descriptor: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read descriptor: %w", err)
		}
		docs = append(docs, &n)
	}
}

// entityMetadata returns the metadata mapping of a document whose kind
// gets annotations, or nil.
func entityMetadata(doc *yaml.Node) *yaml.Node {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	root := doc.Content[0]
	kind := mapValue(root, "kind")
	if kind == nil || kind.Kind != yaml.ScalarNode || !annotated(kind.Value) {
		return nil
	}
	meta := mapValue(root, "metadata")
	if meta == nil || meta.Kind != yaml.MappingNode {
		return nil
	}
	return meta
}

func annotated(kind string) bool {
	for _, k := range annotatedKinds {
		if strings.EqualFold(k, kind) {
			return true
		}
	}
	return false
}

func mapValue(m *yaml.Node, key string) *yaml.Node {
	if k := mapKey(m, key); k >= 0 {
		return m.Content[k+1]
	}
	return nil
}

func mapKey(m *yaml.Node, key string) int {
	if m == nil || m.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Kind == yaml.ScalarNode && m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// lineEdit replaces line Line (1-based) with Text when Replace, or
// inserts Text before it.
type lineEdit struct {
	Line    int
	Text    []string
	Replace bool
	// Tail replaces the line from Column on (a flow mapping ends the
	// line, but for a comment, which is dropped).
	Tail   bool
	Column int
}

// planAnnotations finds where each annotation goes in a block-style
// metadata mapping; ok is false when the mapping is not one that lines
// can be edited in.
func planAnnotations(meta *yaml.Node, ann []Annotation) ([]lineEdit, bool) {
	if meta.Style&yaml.FlowStyle != 0 {
		return planFlowLine(meta, ann)
	}
	if len(meta.Content) == 0 {
		return nil, false
	}
	annotations := mapValue(meta, "annotations")
	if annotations == nil {
		first := meta.Content[0]
		ind := strings.Repeat(" ", first.Column-1)
		lines := []string{ind + "annotations:"}
		for _, a := range ann {
			lines = append(lines, ind+"  "+a.Key+": "+scalar(a.Value))
		}
		return []lineEdit{{Line: first.Line, Text: lines}}, true
	}
	if annotations.Kind != yaml.MappingNode || annotations.Style&yaml.FlowStyle != 0 || len(annotations.Content) == 0 {
		return nil, false
	}
	return planInto(annotations, ann)
}

// planFlowLine rewrites a flow-style metadata mapping written on one
// line (metadata: {name: a}), and only that line.
func planFlowLine(meta *yaml.Node, ann []Annotation) ([]lineEdit, bool) {
	if !onLine(meta, meta.Line) || meta.Column < 1 {
		return nil, false
	}
	setAnnotations(meta, ann)
	b, err := yaml.Marshal(meta)
	if err != nil || bytes.Count(b, []byte("\n")) != 1 {
		return nil, false
	}
	return []lineEdit{{Line: meta.Line, Column: meta.Column, Text: []string{strings.TrimSuffix(string(b), "\n")}, Replace: true, Tail: true}}, true
}

// onLine reports whether n and all it holds sit on line.
func onLine(n *yaml.Node, line int) bool {
	if n.Line != line {
		return false
	}
	for _, c := range n.Content {
		if !onLine(c, line) {
			return false
		}
	}
	return true
}

// planInto sets each annotation in an existing block mapping: a value on
// the key's own line is replaced, a missing key inserted first.
func planInto(m *yaml.Node, ann []Annotation) ([]lineEdit, bool) {
	first := m.Content[0]
	ind := strings.Repeat(" ", first.Column-1)
	var edits []lineEdit
	var insert []string
	for _, a := range ann {
		k := mapKey(m, a.Key)
		if k < 0 {
			insert = append(insert, ind+a.Key+": "+scalar(a.Value))
			continue
		}
		key, val := m.Content[k], m.Content[k+1]
		if val.Kind == yaml.ScalarNode && val.Value == a.Value && val.Tag == "!!str" {
			continue
		}
		if val.Kind != yaml.ScalarNode || val.Line != key.Line || val.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return nil, false
		}
		edits = append(edits, lineEdit{Line: key.Line, Text: []string{strings.Repeat(" ", key.Column-1) + a.Key + ": " + scalar(a.Value)}, Replace: true})
	}
	if len(insert) > 0 {
		edits = append(edits, lineEdit{Line: first.Line, Text: insert})
	}
	return edits, true
}

// scalar writes s as a YAML string scalar, quoted only when it must be.
func scalar(s string) string {
	n := yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	b, err := yaml.Marshal(&n)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(b), "\n")
}

// applyEdits applies line edits, keeping the file's line ending.
func applyEdits(data []byte, edits []lineEdit) []byte {
	if len(edits) == 0 {
		return data
	}
	eol := "\n"
	if bytes.Contains(data, []byte("\r\n")) {
		eol = "\r\n"
	}
	lines := strings.SplitAfter(string(data), "\n")
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Line > edits[j].Line })
	for _, e := range edits {
		i := min(max(e.Line-1, 0), len(lines))
		text := make([]string, len(e.Text))
		for j, t := range e.Text {
			text[j] = t + eol
		}
		if e.Tail && i < len(lines) {
			text[0] = keepHead(lines[i], e.Column) + text[0]
		}
		if e.Replace && i < len(lines) {
			if !strings.HasSuffix(lines[i], "\n") {
				text[len(text)-1] = strings.TrimSuffix(text[len(text)-1], eol)
			}
			lines = append(lines[:i], append(text, lines[i+1:]...)...)
			continue
		}
		lines = append(lines[:i], append(text, lines[i:]...)...)
	}
	return []byte(strings.Join(lines, ""))
}

// reencode sets the annotations on the nodes and writes the whole file
// again: the way for flow-style mappings, whose lines cannot be edited.
func reencode(docs []*yaml.Node, ann []Annotation) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	for _, d := range docs {
		if meta := entityMetadata(d); meta != nil {
			setAnnotations(meta, ann)
		}
		if err := enc.Encode(d); err != nil {
			return nil, fmt.Errorf("write descriptor: %w", err)
		}
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("write descriptor: %w", err)
	}
	return b.Bytes(), nil
}

func setAnnotations(meta *yaml.Node, ann []Annotation) {
	annotations := mapValue(meta, "annotations")
	if annotations == nil || annotations.Kind != yaml.MappingNode {
		annotations = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if k := mapKey(meta, "annotations"); k >= 0 {
			meta.Content[k+1] = annotations
		} else {
			meta.Content = append(meta.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "annotations"}, annotations)
		}
	}
	for _, a := range ann {
		val := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: a.Value}
		if k := mapKey(annotations, a.Key); k >= 0 {
			annotations.Content[k+1] = val
			continue
		}
		annotations.Content = append(annotations.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: a.Key}, val)
	}
}

// keepHead is the part of line before the 1-based column col (yaml.v3
// counts columns in characters).
func keepHead(line string, col int) string {
	n := 0
	for i := range line {
		if n == col-1 {
			return line[:i]
		}
		n++
	}
	return line
}
