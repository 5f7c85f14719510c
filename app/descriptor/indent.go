package descriptor

import (
	"bytes"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Backstage's YAML parser is stricter than yaml.v3 about the indentation
// of the continuation lines of a quoted scalar or a flow collection that is
// the value of a block mapping or an item of a block sequence: each such
// line must be indented more than the key (or the "-") it belongs to.
// yaml.v3 accepts
//
//	description: "a long
//	text"
//
// and Backstage refuses it, so checkFlowIndent reads the source of such
// values and refuses it too.

// srcLines splits the document's source into lines, once.
func (b *builder) srcLines() [][]byte {
	if b.lines == nil {
		b.lines = bytes.Split(b.src, []byte("\n"))
	}
	return b.lines
}

// checkFlowIndent fails the document when a quoted scalar or flow
// collection n, the value of key kn in a block mapping or (kn nil) an item
// of a block sequence at column seqColumn, has a continuation line that is
// not indented enough: one more space than the key or "-", or as much as
// the value's own line when it starts on a later, less indented line.
func (b *builder) checkFlowIndent(n, kn *yaml.Node, seqColumn int) {
	quoted := n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0
	flow := (n.Kind == yaml.SequenceNode || n.Kind == yaml.MappingNode) && n.Style&yaml.FlowStyle != 0
	if b.failed || !(quoted || flow) {
		return
	}
	lines := b.srcLines()
	if n.Line < 1 || n.Line > len(lines) {
		return
	}
	need := seqColumn
	if kn != nil {
		need = kn.Column
		if n.Line > kn.Line {
			need = min(need, countSpaces(lines[n.Line-1]))
		}
	}
	if need <= 0 {
		return
	}
	if line := flowScan(b.lines, n.Line-1, runeOffset(b.lines[n.Line-1], n.Column-1), need); line >= 0 {
		b.doc.Findings = append(b.doc.Findings, b.doc.at(RuleYAML,
			"YAML syntax error: this line continues a quoted string or a [ ] / { } collection, and must be indented more than the key or \"-\" it belongs to",
			line+1+b.offset, 1))
		b.failed = true
	}
}

func countSpaces(l []byte) int {
	n := 0
	for n < len(l) && l[n] == ' ' {
		n++
	}
	return n
}

func runeOffset(l []byte, col int) int {
	off := 0
	for ; col > 0 && off < len(l); col-- {
		_, size := utf8.DecodeRune(l[off:])
		off += size
	}
	return off
}

// flowScanner walks the source of one flow node.
type flowScanner struct {
	depth     int
	quote     byte // '"' or '\'' inside a quoted scalar, else 0
	need      int
	afterOpen bool // a quote here would start a scalar
}

// flowScan reads the node that starts at lines[li][off] (after its anchor
// and tag) to its end, and returns the first continuation line that is not
// indented enough, or -1.
func flowScan(lines [][]byte, li, off, need int) int {
	s := flowScanner{need: need, afterOpen: true}
	l := skipProperties(lines[li][off:])
	for {
		done := s.scanLine(l)
		if done {
			return -1
		}
		li++
		if li >= len(lines) {
			return -1
		}
		if !s.continuationOK(lines[li]) {
			return li
		}
		l = lines[li]
	}
}

// skipProperties skips an anchor and a tag before the node's content.
func skipProperties(l []byte) []byte {
	for len(l) > 0 && (l[0] == '&' || l[0] == '!') {
		end := bytes.IndexAny(l, " \t")
		if end < 0 {
			return nil
		}
		l = bytes.TrimLeft(l[end:], " \t")
	}
	return l
}

// scanLine advances over one line and reports whether the node ended.
func (s *flowScanner) scanLine(l []byte) bool {
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case s.quote == '"':
			if c == '\\' {
				i++
			} else if c == '"' {
				s.quote = 0
				if s.depth == 0 {
					return true
				}
			}
		case s.quote == '\'':
			if c == '\'' && i+1 < len(l) && l[i+1] == '\'' {
				i++
			} else if c == '\'' {
				s.quote = 0
				if s.depth == 0 {
					return true
				}
			}
		case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			return false
		case (c == '"' || c == '\'') && s.afterOpen:
			s.quote = c
		case c == '[' || c == '{':
			s.depth++
		case c == ']' || c == '}':
			s.depth--
			if s.depth <= 0 {
				return true
			}
		}
		s.afterOpen = c == '[' || c == '{' || c == ',' || c == ':' || c == ' ' || c == '\t'
	}
	s.afterOpen = true
	return false
}

// continuationOK applies the parser's rule to the next line of the node:
// inside a quoted scalar, a line is blank or indented by need spaces;
// inside a collection, a line that is not a comment is indented by need
// spaces, or by one less when it closes the outermost collection.
func (s *flowScanner) continuationOK(l []byte) bool {
	l = bytes.TrimSuffix(l, []byte("\r"))
	indent := countSpaces(l)
	if s.quote != 0 {
		return indent == len(l) || indent >= s.need
	}
	rest := bytes.TrimLeft(l[indent:], " \t")
	switch {
	case len(rest) == 0 || rest[0] == '#' || indent >= s.need:
		return true
	case indent == s.need-1 && s.depth == 1 && (rest[0] == ']' || rest[0] == '}'):
		return true
	}
	return false
}
