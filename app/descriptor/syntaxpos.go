package descriptor

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// yaml.v3 reports a syntax error as "line N:" and nothing else, and that
// line is not the problem's: parser errors count lines from 0, and both
// kinds of error name the line where the enclosing construct starts (a
// quoted string, a flow collection, a block mapping) when there is one.
// locateSyntax finds the place that Backstage's parser (the yaml package)
// points at instead, by the kind of error:
//
//   - an unclosed flow collection ("did not find expected ',' or ']'"):
//     the first line after its opening with content indented no deeper
//     than the line that opened it, at that content; or the end of the
//     document;
//   - an unclosed quoted string ("found unexpected end of stream"): the
//     end of the document;
//   - a tab used as indentation: the tab;
//   - an invalid escape in a double-quoted string: its backslash;
//   - "mapping values are not allowed in this context": where the plain
//     scalar that runs into the colon starts, on the line before;
//   - an alias to an unknown anchor: the alias;
//   - a line that breaks the block structure ("did not find expected
//     key", "did not find expected '-' indicator", ...): the first line
//     from where yaml.v3 points on with which the document read so far
//     fails the same way, at column 1, or at a stray ']' or '}' on it.
//
// Anything else stays on yaml.v3's line, at its first non-blank column.
// Lines and columns are 1-based within text, one document.
func locateSyntax(text []byte, msg string, n int) (line, col int) {
	return place(text, msg, n)
}

// byteAt returns the byte at line and col of text, or 0.
func byteAt(text []byte, line, col int) byte {
	lines := splitLines(text)
	if line >= 1 && line <= len(lines) && col >= 1 && col <= len(lines[line-1]) {
		return lines[line-1][col-1]
	}
	return 0
}

// syntaxHints say what the commonest of yaml.v3's messages mean, at the
// place locateSyntax finds.
var syntaxHints = map[string]string{
	"did not find expected ',' or ']'":               "a flow sequence ([ ... ]) is not closed: end it with ] before this line, or indent its continuation",
	"did not find expected ',' or '}'":               "a flow mapping ({ ... }) is not closed: end it with } before this line, or indent its continuation",
	"found unexpected end of stream":                 "a quoted string is not closed: the document ends before its closing quote",
	"did not find expected key":                      "this line does not fit the indentation of the mapping around it",
	"did not find expected '-' indicator":            "this line does not fit the indentation of the sequence around it",
	"found unknown escape character":                 "unknown escape sequence in a double-quoted string (write \\\\ for a backslash, or use single quotes)",
	"mapping values are not allowed in this context": "this plain value runs on into a \"key:\" on a later line: check that line's indentation, or quote the value",
}

// syntaxMessage is the message for a yaml.v3 error found at a byte: its
// hint, when there is one, and yaml.v3's words.
func syntaxMessage(msg string, at byte) string {
	switch {
	case at == '\t':
		return "tabs are not allowed as indentation: indent with spaces (" + msg + ")"
	case (at == ']' || at == '}') && msg == "did not find expected key":
		return "this " + string(at) + " closes nothing (" + msg + ")"
	}
	if h, ok := syntaxHints[msg]; ok {
		return h + " (" + msg + ")"
	}
	return msg
}

func place(text []byte, msg string, n int) (line, col int) {
	lines := splitLines(text)
	n = min(max(n, 1), len(lines)+1)
	eofLine, eofCol := len(lines)+1, 1
	if len(lines) > 0 && len(text) > 0 && text[len(text)-1] != '\n' {
		eofLine, eofCol = len(lines), len(lines[len(lines)-1])+1
	}
	switch {
	case strings.HasPrefix(msg, "did not find expected ',' or"), msg == "did not find expected node content":
		if l, c, open := unclosedFlow(lines); open && l > 0 {
			return l, c
		} else if open {
			return eofLine, eofCol
		}
	case msg == "found unexpected end of stream":
		return eofLine, eofCol
	case strings.Contains(msg, "tab character"), msg == "found character that cannot start any token":
		if l, c, ok := firstMatch(lines, n-1, indentTab); ok {
			return l, c
		}
	case msg == "found unknown escape character":
		if l, c, ok := firstMatch(lines, n-1, badEscape); ok {
			return l, c
		}
	case msg == "mapping values are not allowed in this context":
		if l, c, ok := scalarBefore(lines, n); ok {
			return l, c
		}
	case strings.HasPrefix(msg, "unknown anchor '"):
		alias := "*" + strings.TrimSuffix(strings.TrimPrefix(msg, "unknown anchor '"), "' referenced")
		if l, c, ok := firstMatch(lines, 0, func(s string) int { return strings.Index(s, alias) }); ok {
			return l, c
		}
	case strings.HasPrefix(msg, "did not find expected"), strings.Contains(msg, "not allowed in this context"), strings.HasPrefix(msg, "could not find expected"):
		if l, ok := firstFailingPrefix(lines, n, msg); ok {
			return l, strayCloser(lines[l-1]) + 1
		}
	}
	return n, firstContent(lines, n)
}

func splitLines(text []byte) []string {
	s := strings.TrimSuffix(string(text), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func firstContent(lines []string, n int) int {
	if n < 1 || n > len(lines) {
		return 1
	}
	return len(lines[n-1]) - len(strings.TrimLeft(lines[n-1], " \t")) + 1
}

// firstMatch returns the first line from index from whose find gives a
// byte offset, and the column there.
func firstMatch(lines []string, from int, find func(string) int) (int, int, bool) {
	for i := max(from, 0); i < len(lines); i++ {
		if j := find(lines[i]); j >= 0 {
			return i + 1, j + 1, true
		}
	}
	return 0, 0, false
}

// indentTab finds a tab in a line's indentation, before its content.
func indentTab(s string) int {
	content := strings.TrimLeft(s, " \t-")
	if content == "" || content[0] == '#' {
		return -1
	}
	return strings.IndexByte(s[:len(s)-len(content)], '\t')
}

// badEscape finds a backslash whose escape YAML's double-quoted strings
// do not have.
func badEscape(s string) int {
	for i := 0; i+1 < len(s); i++ {
		if s[i] != '\\' {
			continue
		}
		if !strings.ContainsRune("0abt\tnvfre \"/\\N_LPxuU", rune(s[i+1])) {
			return i
		}
		i++
	}
	return -1
}

// scalarBefore finds where the plain scalar starts that runs on from the
// last content line before line n into the colon on line n: after the
// line's "- " and "key: ", if any.
func scalarBefore(lines []string, n int) (int, int, bool) {
	for i := min(n-2, len(lines)-1); i >= 0; i-- {
		s := lines[i]
		t := strings.TrimLeft(s, " ")
		if t == "" || t[0] == '#' {
			continue
		}
		t = strings.TrimPrefix(t, "- ")
		if k := strings.Index(t, ": "); k >= 0 {
			t = strings.TrimLeft(t[k+2:], " ")
		}
		return i + 1, len(s) - len(t) + 1, true
	}
	return 0, 0, false
}

// maxBisectBytes bounds the documents whose errors firstFailingPrefix
// places: each step parses the document so far again (a 2,000-line
// document takes a dozen parses). Larger ones keep yaml.v3's line.
const maxBisectBytes = 256 << 10

// firstFailingPrefix returns the first line l from n on such that the
// document's first l lines fail to parse with msg, by bisection: yaml.v3
// may name a line far above (the start of a long mapping), and a prefix
// that ends before the problem parses, or fails otherwise.
func firstFailingPrefix(lines []string, n int, msg string) (int, bool) {
	ends := make([]int, len(lines)+1) // ends[k]: bytes of the first k lines
	for i, l := range lines {
		ends[i+1] = ends[i] + len(l) + 1
	}
	text := strings.Join(lines, "\n") + "\n"
	if len(text) > maxBisectBytes {
		return 0, false
	}
	fails := func(k int) bool {
		var node yaml.Node
		err := yaml.Unmarshal([]byte(text[:ends[k]]), &node)
		return err != nil && strings.HasSuffix(err.Error(), msg)
	}
	lo, hi := max(n, 1), len(lines)
	if lo > hi || !fails(hi) {
		return 0, false
	}
	for lo < hi {
		if mid := (lo + hi) / 2; fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo, true
}

// strayCloser is the offset of the first ] or } on a line that closes
// nothing, or 0.
func strayCloser(l string) int {
	depth := 0
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '[', '{':
			depth++
		case ']', '}':
			if depth--; depth < 0 {
				return i
			}
		}
	}
	return 0
}

// unclosedFlow finds where Backstage's parser reports a flow collection
// that is never closed: the first content line after the opening that
// is indented no deeper than the line of the opening (line 0 when it is
// the end of the document). open is false when every collection closes.
func unclosedFlow(lines []string) (line, col int, open bool) {
	var s flowTracker
	for i, l := range lines {
		if s.depth > 0 && !s.inQuote {
			t := strings.TrimLeft(l, " \t")
			if ind := len(l) - len(t); t != "" && t[0] != '#' && ind <= s.openIndent {
				return i + 1, ind + 1, true
			}
		}
		if s.depth == 0 {
			s.openIndent = len(l) - len(strings.TrimLeft(l, " "))
		}
		s.scan(l)
	}
	return 0, 0, s.depth > 0
}

// flowTracker follows flow collections across lines, skipping quoted
// strings and comments. In block context, [ { and quotes open something
// only where a value starts: at the start of a line, or after ": ",
// "- " or "? ".
type flowTracker struct {
	depth      int
	openIndent int
	inQuote    bool
	quote      byte
}

func (s *flowTracker) scan(l string) {
	var prev byte // the last byte that is not a space, 0 at the line's start
	for i := 0; i < len(l); i++ {
		c := l[i]
		if s.inQuote {
			s.quoted(l, &i)
			continue
		}
		start := s.depth > 0 || prev == 0 || l[i-1] == ' ' && strings.IndexByte(":-?", prev) >= 0
		switch {
		case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			return
		case (c == '"' || c == '\'') && start:
			s.inQuote, s.quote = true, c
		case (c == '[' || c == '{') && start:
			s.depth++
		case (c == ']' || c == '}') && s.depth > 0:
			s.depth--
		}
		if c != ' ' && c != '\t' {
			prev = c
		}
	}
}

// quoted moves past one byte of a quoted string, ending it at its quote.
func (s *flowTracker) quoted(l string, i *int) {
	c := l[*i]
	switch {
	case c == '\\' && s.quote == '"':
		*i++
	case c == '\'' && s.quote == '\'' && *i+1 < len(l) && l[*i+1] == '\'':
		*i++
	case c == s.quote:
		s.inQuote = false
	}
}
