package descriptor

import (
	"bytes"
	"fmt"
)

// chunk is the source text of one YAML document. text starts on line
// first; the document itself starts on line.
type chunk struct {
	empty bool // a lone document end marker: an empty document
	text  []byte
	first int
	line  int
}

// splitDocuments cuts a YAML stream at its document markers ("---" and
// "..." at the start of a line), so that a syntax error in one document
// does not hide the others, as in Backstage's parser. Text made only of
// comments, blank lines and directives belongs to the next document.
func splitDocuments(data []byte) []chunk {
	var out []chunk
	cur := chunk{first: 1, line: 1}
	start, line := 0, 1
	for pos := 0; pos < len(data); line++ {
		next := len(data)
		if i := bytes.IndexByte(data[pos:], '\n'); i >= 0 {
			next = pos + i + 1
		}
		switch l := data[pos:next]; {
		case isMarker(l, "---"):
			if !onlyPreamble(data[start:pos]) {
				cur.text = data[start:pos]
				out = append(out, cur)
				start, cur.first = pos, line
			}
			cur.line = line
		case isMarker(l, "..."):
			// A document end with no document open still ends an (empty)
			// document for Backstage's parser, and so takes an index.
			cur.text, cur.empty = data[start:next], onlyPreamble(data[start:pos])
			out = append(out, cur)
			cur.empty = false
			start, cur.first, cur.line = next, line+1, line+1
		}
		pos = next
	}
	if !onlyPreamble(data[start:]) {
		cur.text = data[start:]
		out = append(out, cur)
	}
	return out
}

func isMarker(l []byte, m string) bool {
	if !bytes.HasPrefix(l, []byte(m)) {
		return false
	}
	if len(l) == len(m) {
		return true
	}
	switch l[len(m)] {
	case ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// onlyPreamble reports whether text holds no YAML content and no document
// marker: only blank lines, comments and directives.
func onlyPreamble(text []byte) bool {
	for len(text) > 0 {
		l := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			l, text = text[:i], text[i+1:]
		} else {
			text = nil
		}
		t := bytes.TrimLeft(l, " \t\r")
		if len(t) > 0 && t[0] != '#' && t[0] != '%' {
			return false
		}
	}
	return true
}

// directives is what the %YAML directives of a document say. text is the
// document with its %YAML lines turned into comments, since the YAML
// library reads only version 1.1 documents.
type directives struct {
	text    []byte
	version string // "1.1" or "1.2" when a directive names one
	bad     string // a malformed %YAML directive
	badLine int    // its line, from the start of text
}

// readDirectives reads the directives of a document as Backstage's YAML
// library does: %YAML 1.1 and 1.2 are versions, another well-formed version
// is ignored, anything else is an error; %TAG is left to yaml.v3, and
// unknown directives are ignored.
func readDirectives(text []byte) (d directives) {
	d.text = text
	if !bytes.HasPrefix(text, []byte("%")) && !bytes.Contains(text, []byte("\n%")) {
		return d
	}
	d.text = bytes.Clone(text)
	rest, line := d.text, 0
	for len(rest) > 0 {
		l := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if isMarker(l, "---") || isMarker(l, "...") {
			break
		}
		switch {
		case isMarker(l, "%YAML"):
			l[0] = '#'
			d.yamlDirective(l, line)
		case len(l) > 0 && l[0] == '%' && !isMarker(l, "%TAG"):
			l[0] = '#' // an unknown directive: Backstage's parser ignores it
		case !onlyPreamble(l):
			return d // content: the directives are behind
		}
		line++
	}
	return d
}

func (d *directives) yamlDirective(l []byte, line int) {
	if i := bytes.Index(l, []byte(" #")); i >= 0 {
		l = l[:i]
	}
	params := bytes.Fields(l)[1:]
	switch {
	case len(params) != 1:
		d.bad = "a %YAML directive takes one version"
	case string(params[0]) == "1.1" || string(params[0]) == "1.2":
		d.version = string(params[0])
		return
	case !isVersionNumber(params[0]):
		d.bad = fmt.Sprintf("unsupported YAML version %s", params[0])
	default:
		return
	}
	if d.badLine == 0 {
		d.badLine = line
	}
}

// isVersionNumber matches ^\d+\.\d+$.
func isVersionNumber(s []byte) bool {
	i := bytes.IndexByte(s, '.')
	return i > 0 && i < len(s)-1 && countDigits(string(s[:i])) == i && countDigits(string(s[i+1:])) == len(s)-i-1
}
