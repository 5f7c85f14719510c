package descriptor

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// DefaultMaxBytes is the largest descriptor file read unless configured.
const DefaultMaxBytes = 1 << 20

// maxAliasCount mirrors the YAML library Backstage uses: an anchor may be
// dereferenced, times the aliases nested inside it, at most this often.
const maxAliasCount = 100

// maxExpandedNodes bounds the size of a document once aliases are expanded,
// so that consumers that walk the tree stay bounded as well.
const maxExpandedNodes = 1 << 20

// Rule ids of parse findings.
const (
	RuleYAML     = "yaml/syntax"
	RuleEncoding = "yaml/encoding"
	RuleSize     = "yaml/size"
	RuleAlias    = "yaml/alias"
	RuleDupKey   = "yaml/duplicate-key"
	RuleRoot     = "yaml/root"
	// RuleYAMLVersion refuses documents read as YAML 1.1 (see RULES.md).
	RuleYAMLVersion = "yaml/version"
)

const yaml11Message = "this document is read as YAML 1.1 (a %YAML 1.1 directive here or in an earlier document), where yes/no are booleans, " +
	"dates are timestamps and << merges; portico reads YAML 1.2 only, as Backstage does by default: remove the directive"

// Document is one YAML document of a descriptor file.
type Document struct {
	Index    int    // 1-based position in the stream, counting empty documents
	Line     int    // line where the document starts
	Root     *Value // nil when the document could not be read
	Findings []Finding
	// resolved is set by Resolve: placeholders left in Root are data,
	// apart from those marked opaque.
	resolved bool
}

// File is a parsed descriptor file. Findings that belong to no document,
// such as an oversized or non-UTF-8 file, are in Findings.
type File struct {
	Findings  []Finding
	Documents []*Document
}

// Parse reads every document of a descriptor file. It never panics: bad
// input becomes findings. Empty documents are left out of Documents but
// still count for the index of those after them.
func Parse(data []byte, maxBytes int64) (f File) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if int64(len(data)) > maxBytes {
		f.Findings = append(f.Findings, fileError(RuleSize,
			fmt.Sprintf("file is %d bytes, over the limit of %d bytes", len(data), maxBytes)))
		return f
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		f.Findings = append(f.Findings, fileError(RuleEncoding, "file is not UTF-8 text"))
		return f
	}
	version := "1.2"
	for i, c := range splitDocuments(data) {
		dir := readDirectives(c.text)
		if dir.version != "" {
			version = dir.version
		}
		if d := parseChunk(i+1, c, dir, version); d != nil {
			f.Documents = append(f.Documents, d)
		}
	}
	return f
}

func fileError(rule, msg string) Finding {
	return Finding{Severity: SeverityError, Rule: rule, Message: msg, Line: 1, Column: 1}
}

var errLine = regexp.MustCompile(`^yaml: line (\d+): `)

// parseChunk parses one document; nil means an empty document. version is
// the YAML version in force, which a %YAML directive sets for its document
// and, in Backstage's YAML library, for the documents after it.
func parseChunk(index int, c chunk, dir directives, version string) *Document {
	d := &Document{Index: index, Line: c.line}
	root := d.read(c, dir)
	switch {
	case len(d.Findings) > 0:
	case root == nil || root.Kind == Null:
		return nil
	case version == "1.1":
		d.Findings = append(d.Findings, d.at(RuleYAMLVersion, yaml11Message, c.first, 1))
	case root.Kind != Map:
		d.Findings = append(d.Findings, d.at(RuleRoot,
			fmt.Sprintf("document root must be a mapping (an entity), found %s", root.Kind), root.Line, root.Column))
	default:
		d.Root = root
	}
	return d
}

// read parses the text of one document into a Value, nil when the
// document is empty or broken; problems go to d.Findings.
func (d *Document) read(c chunk, dir directives) (root *Value) {
	if dir.bad != "" {
		d.Findings = append(d.Findings, d.at(RuleYAML, "YAML syntax error: "+dir.bad, c.first+dir.badLine, 1))
		return nil
	}
	if c.empty {
		return nil
	}
	defer recoverInto(d)
	n, src, err := unmarshal(dir.text)
	if err != nil {
		d.Findings = append(d.Findings, syntaxFinding(d, err, c.first, dir.text))
		return nil
	}
	if n.Kind == 0 || len(n.Content) == 0 {
		return nil
	}
	b := builder{src: src, offset: c.first - 1, doc: d, anchors: map[*yaml.Node]*anchor{}}
	return b.value(n.Content[0])
}

// unmarshal parses a document with yaml.v3, and once more after
// repairForV3 when yaml.v3 refuses what Backstage's parser accepts. It
// returns the source that was read and the first error.
func unmarshal(text []byte) (*yaml.Node, []byte, error) {
	var n yaml.Node
	err := yaml.Unmarshal(text, &n)
	if err == nil {
		return &n, text, nil
	}
	if fixed, changed := repairForV3(text); changed {
		var m yaml.Node
		if yaml.Unmarshal(fixed, &m) == nil {
			return &m, fixed, nil
		}
	}
	return nil, nil, err
}

// recoverInto turns a panic of the YAML library into a finding, so that no
// input can crash a caller.
func recoverInto(d *Document) {
	if r := recover(); r != nil {
		d.Root = nil
		d.Findings = append(d.Findings, d.at(RuleYAML, fmt.Sprintf("cannot parse document: %v", r), d.Line, 1))
	}
}

// syntaxFinding reports a yaml.v3 error in the document text that starts
// on line startLine, at the place locateSyntax finds.
func syntaxFinding(d *Document, err error, startLine int, text []byte) Finding {
	msg := err.Error()
	n := 1
	if m := errLine.FindStringSubmatch(msg); m != nil {
		n, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	} else {
		msg = trimPrefix(msg, "yaml: ")
	}
	line, col := locateSyntax(text, msg, n)
	return d.at(RuleYAML, "YAML syntax error: "+syntaxMessage(msg, byteAt(text, line, col)), startLine+line-1, col)
}

func trimPrefix(s, p string) string {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

func (d *Document) at(rule, msg string, line, col int) Finding {
	return Finding{Severity: SeverityError, Rule: rule, Message: msg, Line: line, Column: col}
}
