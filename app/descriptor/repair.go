package descriptor

import (
	"bytes"
	"unicode/utf8"
)

// yaml.v3 refuses a few things that Backstage's YAML parser accepts:
//
//   - a tab on a line that is otherwise blank (outside a block scalar, where
//     Backstage refuses it too), as editors leave between entries;
//   - a tab after a sequence's "-";
//   - the JSON escape "\/" in a double-quoted string, as some JSON encoders
//     write URLs;
//   - anchor and alias names with characters other than letters, digits,
//     "-" and "_" (such as &default.owner), which YAML 1.2 allows.
//
// When yaml.v3 fails on a document, repairForV3 rewrites just these and the
// document is parsed again; a document that yaml.v3 reads is never
// rewritten. The rewrites keep every line and column, except that "\/"
// becomes "\x2f", which moves what follows it on its line by two columns,
// and renamed anchors keep their length in characters.

// repairForV3 returns the rewritten text and whether anything changed.
func repairForV3(text []byte) ([]byte, bool) {
	out := bytes.Clone(text)
	r := repairer{blockParent: -1}
	changed := false
	var b bytes.Buffer
	for rest := out; len(rest) > 0; {
		l := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i+1], rest[i+1:]
		} else {
			rest = nil
		}
		nl, c := r.line(l)
		changed = changed || c
		b.Write(nl)
	}
	return b.Bytes(), changed
}

// repairer carries what spans lines: a block scalar being read (the
// indentation its content must exceed) and an open quoted scalar.
type repairer struct {
	blockParent int
	quote       byte
	anchors     map[string]string // anchor names yaml.v3 refuses, renamed
}

func (r *repairer) line(l []byte) ([]byte, bool) {
	indent := countSpaces(l)
	body := bytes.TrimRight(l, " \t\r\n")
	if r.blockParent >= 0 {
		if len(body) == 0 || indent > r.blockParent {
			return l, false // block scalar content: left as written
		}
		r.blockParent = -1
	}
	if len(body) == 0 {
		if r.quote == 0 && bytes.IndexByte(l, '\t') >= 0 {
			return bytes.ReplaceAll(l, []byte("\t"), []byte(" ")), true
		}
		return l, false
	}
	changed := false
	if r.quote == 0 {
		changed = tabAfterDash(l[indent:])
	}
	nl, escaped := r.scan(l)
	return nl, changed || escaped
}

// tabAfterDash turns the tab after a line's leading "-" indicators into a
// space, in place.
func tabAfterDash(l []byte) bool {
	changed := false
	for len(l) > 1 && l[0] == '-' && (l[1] == ' ' || l[1] == '\t') {
		if l[1] == '\t' {
			l[1], changed = ' ', true
		}
		l = bytes.TrimLeft(l[1:], " \t")
	}
	return changed
}

// scan follows quotes and comments along the line, rewrites "\/" inside
// double quotes, and notes a block scalar header at the end of the line.
func (r *repairer) scan(l []byte) ([]byte, bool) {
	var out []byte
	changed := false
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case r.quote == '"' && c == '\\' && i+1 < len(l):
			if l[i+1] == '/' {
				out, changed = append(out, `\x2f`...), true
				i++
				continue
			}
			out = append(out, c, l[i+1])
			i++
			continue
		case r.quote != 0 && c == r.quote:
			if c == '\'' && i+1 < len(l) && l[i+1] == '\'' {
				out = append(out, c)
				i++
			} else {
				r.quote = 0
			}
		case r.quote == 0 && (c == '"' || c == '\'') && tokenStart(l, i):
			r.quote = c
		case r.quote == 0 && (c == '&' || c == '*') && tokenStart(l, i):
			end := i + 1 + anchorLen(l[i+1:])
			name := string(l[i+1 : end])
			if !isV3Anchor(name) {
				out, changed = append(append(out, c), r.rename(name)...), true
				i = end - 1
				continue
			}
		case r.quote == 0 && c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			return append(out, l[i:]...), changed
		case r.quote == 0 && (c == '|' || c == '>') && tokenStart(l, i) && blockHeaderEnd(l[i+1:]):
			r.blockParent = countSpaces(l)
		}
		out = append(out, c)
	}
	return out, changed
}

// tokenStart reports whether a scalar can start at l[i]: at the start of
// the line's content, or after an indicator or flow punctuation.
func tokenStart(l []byte, i int) bool {
	j := i - 1
	for j >= 0 && (l[j] == ' ' || l[j] == '\t') {
		j--
	}
	if j < 0 {
		return true
	}
	switch l[j] {
	case '[', '{', ',':
		return true
	case ':', '-', '?':
		return j < i-1 && (j == 0 || l[j-1] == ' ' || l[j-1] == '\t' || l[j] == ':')
	}
	return false
}

// blockHeaderEnd reports whether what follows "|" or ">" completes a block
// scalar header: indicators, then nothing but a comment.
func blockHeaderEnd(rest []byte) bool {
	i := 0
	for i < len(rest) && (rest[i] >= '1' && rest[i] <= '9' || rest[i] == '+' || rest[i] == '-') {
		i++
	}
	rest = bytes.TrimLeft(rest[i:], " \t")
	rest = bytes.TrimRight(rest, "\r\n")
	return len(rest) == 0 || rest[0] == '#'
}

// anchorLen is the length of the anchor or alias name at the start of l:
// up to white space or a flow indicator.
func anchorLen(l []byte) int {
	n := bytes.IndexAny(l, " \t\r\n,[]{}")
	if n < 0 {
		return len(l)
	}
	return n
}

// isV3Anchor reports whether yaml.v3 reads name as an anchor name.
func isV3Anchor(name string) bool {
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isAlnum(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// rename gives an anchor name that yaml.v3 refuses a stand-in of the same
// length in characters, the same for every use of the name.
func (r *repairer) rename(name string) string {
	if r.anchors == nil {
		r.anchors = map[string]string{}
	}
	if s, ok := r.anchors[name]; ok {
		return s
	}
	const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	width := max(utf8.RuneCountInString(name), 1)
	b := bytes.Repeat([]byte("_"), width)
	for k, i := len(r.anchors), width-1; i >= 0 && (k > 0 || i == width-1); i-- {
		b[i], k = digits[k%len(digits)], k/len(digits)
	}
	r.anchors[name] = string(b)
	return string(b)
}
