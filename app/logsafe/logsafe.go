// Package logsafe makes strings from outside (request headers, paths,
// anything a stranger sends) fit to log: bounded in length and free of
// control and format characters, so that one request can neither write a
// megabyte line nor forge or reorder what a reader of the log sees.
package logsafe

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLen is the most bytes of a value that String keeps. GitHub's event
// names, delivery ids and user agents are far shorter.
const MaxLen = 200

// String returns s, or, when s is longer than MaxLen or holds a character
// that is not printable (controls, invalid UTF-8, bidirectional overrides),
// a copy with each such character replaced by U+FFFD and cut at MaxLen
// bytes with a note of the full length.
func String(s string) string {
	if len(s) <= MaxLen && plainASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(min(len(s), MaxLen) + 32)
	for i, r := range s {
		if b.Len() >= MaxLen {
			b.WriteString("…(")
			b.WriteString(strconv.Itoa(len(s)))
			b.WriteString(" bytes)")
			return b.String()
		}
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			b.WriteRune(utf8.RuneError) // an invalid byte
		case !unicode.IsPrint(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// plainASCII reports whether s is printable ASCII, the common case, which
// String returns as it is.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
