package descriptor

import (
	"fmt"
	"strconv"
	"strings"
)

// Path addresses a value inside a document: each element is a mapping key
// (string) or a list index (int).
type Path []any

// String renders the path as `metadata.annotations["a.b/c"].x[0]`: plain
// keys joined by dots, other keys quoted in brackets, indexes in brackets.
func (p Path) String() string {
	var b strings.Builder
	for i, e := range p {
		switch e := e.(type) {
		case int:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(e))
			b.WriteByte(']')
		case string:
			if isPlainKey(e) {
				if i > 0 {
					b.WriteByte('.')
				}
				b.WriteString(e)
			} else {
				b.WriteByte('[')
				b.WriteString(strconv.Quote(e))
				b.WriteByte(']')
			}
		}
	}
	return b.String()
}

func isPlainKey(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range k {
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Key returns p extended by a key, leaving p itself unchanged.
func (p Path) Key(k string) Path { return append(p[:len(p):len(p)], k) }

// Index returns p extended by a list index, leaving p itself unchanged.
func (p Path) Index(i int) Path { return append(p[:len(p):len(p)], i) }

// ParsePath reads the notation that String writes. Unquoted bracket
// contents that are not numbers are keys, so `a[b.c]` works too.
func ParsePath(s string) (Path, error) {
	var p Path
	for i := 0; i < len(s); {
		switch s[i] {
		case '.':
			i++
		case '[':
			e, n, err := parseBracket(s[i:])
			if err != nil {
				return nil, fmt.Errorf("parse path %q: %w", s, err)
			}
			p, i = append(p, e), i+n
		default:
			j := i
			for j < len(s) && s[j] != '.' && s[j] != '[' {
				j++
			}
			p, i = append(p, s[i:j]), j
		}
	}
	return p, nil
}

func parseBracket(s string) (any, int, error) {
	if len(s) > 1 && s[1] == '"' {
		q, err := strconv.QuotedPrefix(s[1:])
		if err != nil || len(s) < len(q)+2 || s[len(q)+1] != ']' {
			return nil, 0, fmt.Errorf("unterminated quoted key")
		}
		k, _ := strconv.Unquote(q)
		return k, len(q) + 2, nil
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return nil, 0, fmt.Errorf("unterminated bracket")
	}
	inner := s[1:end]
	if n, err := strconv.Atoi(inner); err == nil {
		return n, end + 1, nil
	}
	return inner, end + 1, nil
}

// Locate returns the position of the value at p. When p leads to nothing,
// it returns the position of the deepest key or item on the way, so that a
// missing field points at its parent.
func (v *Value) Locate(p Path) (line, col int) {
	line, col = v.Line, v.Column
	cur := v
	for _, e := range p {
		switch e := e.(type) {
		case string:
			f := cur.Field(e)
			if f == nil {
				return line, col
			}
			line, col, cur = f.Line, f.Column, f.Value
		case int:
			if cur.Kind != List || e < 0 || e >= len(cur.Items) {
				return line, col
			}
			cur = cur.Items[e]
			line, col = cur.Line, cur.Column
		}
	}
	return cur.Line, cur.Column
}
