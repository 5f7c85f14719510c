package logsafe

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 1<<20)
	tests := []struct{ name, in, want string }{
		{"plain", "pull_request", "pull_request"},
		{"empty", "", ""},
		{"UTF-8 kept", "café ✓", "café ✓"},
		{"newline", "a\nb", "a\uFFFDb"},
		{"forged log line", "x\r\n{\"level\":\"ERROR\"}", "x\uFFFD\uFFFD{\"level\":\"ERROR\"}"},
		{"escape sequence", "\x1b[31mred", "\uFFFD[31mred"},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
		{"bidi override", "abc\u202Edef", "abc\uFFFDdef"},
		{"NUL", "a\x00", "a\uFFFD"},
		{"at the cap", long[:MaxLen], long[:MaxLen]},
		{"over the cap", long, long[:MaxLen] + "…(1048576 bytes)"},
		{"over the cap, multibyte", strings.Repeat("é", 150), strings.Repeat("é", 100) + "…(300 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := String(tt.in); got != tt.want {
				t.Errorf("String(%.40q) = %.60q, want %.60q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzString: whatever comes in, what goes out is valid UTF-8, printable,
// bounded, and the input itself when that already was all three.
func FuzzString(f *testing.F) {
	for _, s := range []string{"pull_request", "a\nb", "\xff\xfe", "\u202E", strings.Repeat("x", 300), "\uFFFD"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := String(s)
		if !utf8.ValidString(got) {
			t.Fatalf("String(%q) = %q: not UTF-8", s, got)
		}
		if len(got) > MaxLen+utf8.UTFMax+len("…( bytes)")+20 {
			t.Fatalf("String of %d bytes gave %d", len(s), len(got))
		}
		for _, r := range got {
			if !unicode.IsPrint(r) {
				t.Fatalf("String(%q) = %q holds %U", s, got, r)
			}
		}
		clean := len(s) <= MaxLen && utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) < 0
		if clean && got != s {
			t.Fatalf("String(%q) = %q: changed a clean value", s, got)
		}
	})
}
