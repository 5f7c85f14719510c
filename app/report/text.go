package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/portico-dev/portico/app/descriptor"
)

// textWriter prints one line per finding in the compiler style
// (path:line:col: ...) that editors and grep understand, then one summary
// line.
type textWriter struct {
	w *bufio.Writer
}

func newText(w io.Writer) *textWriter {
	return &textWriter{w: bufio.NewWriter(w)}
}

func (t *textWriter) File(f *File) error {
	for _, d := range f.Documents {
		for _, x := range d.Findings {
			_, err := fmt.Fprintf(t.w, "%s: %s %s: %s\n",
				oneLine(position(f.Path, x)), x.Severity, oneLine(x.Rule), oneLine(x.Message))
			if err != nil {
				return fmt.Errorf("write finding: %w", err)
			}
		}
	}
	return nil
}

func (t *textWriter) Close(s Summary) error {
	fmt.Fprintln(t.w, summaryLine(s))
	if err := t.w.Flush(); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// position renders path:line:col, leaving out what a file-level finding
// does not have.
func position(p string, x descriptor.Finding) string {
	switch {
	case x.Line <= 0:
		return p
	case x.Column <= 0:
		return fmt.Sprintf("%s:%d", p, x.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p, x.Line, x.Column)
}

// oneLine escapes newlines and other unprintable runes the way Go quotes
// them, so that each finding stays on one line and user content cannot send
// escape sequences to a terminal.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, unprintable) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unprintable(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func unprintable(r rune) bool {
	return !strconv.IsPrint(r)
}

// summaryLine is the one-line count of a run that every format but JSON
// and SARIF ends with, e.g. "3 files, 5 documents: 2 errors, 1 warning".
func summaryLine(s Summary) string {
	return fmt.Sprintf("%s, %s: %s, %s",
		plural(s.Files, "file"), plural(s.Documents, "document"),
		plural(s.Errors, "error"), plural(s.Warnings, "warning"))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
