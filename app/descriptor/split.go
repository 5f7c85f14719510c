package descriptor

import "bytes"

// chunk is the source text of one YAML document. text starts on line
// first; the document itself starts on line.
type chunk struct {
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
			if !onlyPreamble(data[start:pos]) {
				cur.text = data[start:next]
				out = append(out, cur)
			}
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
