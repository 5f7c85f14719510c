package report

import (
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
)

func TestPosition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line, col int
		want      string
	}{
		{4, 9, "a.yaml:4:9"},
		{4, 0, "a.yaml:4"},
		{0, 0, "a.yaml"},
		{0, 5, "a.yaml"},
	}
	for _, tt := range tests {
		if got := position("a.yaml", descriptor.Finding{Line: tt.line, Column: tt.col}); got != tt.want {
			t.Errorf("position(line %d, col %d) = %q, want %q", tt.line, tt.col, got, tt.want)
		}
	}
}

func TestOneLine(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"plain: text, 100%", "plain: text, 100%"},
		{"a\nb\r\nc", `a\nb\r\nc`},
		{"\x1b[2J cleared", `\x1b[2J cleared`},
		{"tab\t", `tab\t`},
		{"rtl \u202e override", `rtl \u202e override`},
		{"é 世 🙂", "é 世 🙂"},
	}
	for _, tt := range tests {
		if got := oneLine(tt.in); got != tt.want {
			t.Errorf("oneLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSummaryLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    Summary
		want string
	}{
		{Summary{}, "0 files, 0 documents: 0 errors, 0 warnings"},
		{Summary{1, 1, 1, 1}, "1 file, 1 document: 1 error, 1 warning"},
		{Summary{3, 5, 2, 1}, "3 files, 5 documents: 2 errors, 1 warning"},
	}
	for _, tt := range tests {
		if got := summaryLine(tt.s); got != tt.want {
			t.Errorf("summaryLine(%+v) = %q, want %q", tt.s, got, tt.want)
		}
	}
}
