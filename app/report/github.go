package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/portico-dev/portico/app/descriptor"
)

// githubWriter prints one workflow command per finding, which GitHub Actions
// turns into an annotation on the file and line, then a plain summary line.
// GitHub shows only the first few annotations of a step, so at Close it
// also appends the whole picture as a Markdown job summary, and the counts
// as step outputs, to the files GitHub names.
type githubWriter struct {
	w       *bufio.Writer
	opts    Options
	summary *MarkdownSummary
}

func newGitHub(w io.Writer, opts Options) *githubWriter {
	g := &githubWriter{w: bufio.NewWriter(w), opts: opts}
	if opts.StepSummaryPath != "" {
		g.summary = NewMarkdownSummary("portico", StepSummaryLimit).WithRules(opts.Rules)
	}
	return g
}

func (g *githubWriter) File(f *File) error {
	if g.summary != nil {
		g.summary.Add(f)
	}
	for _, d := range f.Documents {
		for _, x := range d.Findings {
			if _, err := g.w.WriteString(workflowCommand(f.Path, x)); err != nil {
				return fmt.Errorf("write finding: %w", err)
			}
		}
	}
	return nil
}

func (g *githubWriter) Close(s Summary) error {
	fmt.Fprintln(g.w, summaryLine(s))
	var errs []error
	if err := g.w.Flush(); err != nil {
		errs = append(errs, fmt.Errorf("write summary: %w", err))
	}
	if g.summary != nil {
		errs = append(errs, appendFile("step summary", g.opts.StepSummaryPath, g.summary.Render(s)))
	}
	return errors.Join(errs...)
}

// workflowCommand renders a finding as
// ::error file=PATH,line=L,col=C,title=RULE::MESSAGE, leaving out the line
// and column that a file-level finding does not have.
func workflowCommand(path string, x descriptor.Finding) string {
	level := "notice"
	switch x.Severity {
	case descriptor.SeverityError:
		level = "error"
	case descriptor.SeverityWarning:
		level = "warning"
	}
	props := "file=" + escapeProperty(filepath.ToSlash(path))
	if x.Line > 0 {
		props += ",line=" + strconv.Itoa(x.Line)
		if x.Column > 0 {
			props += ",col=" + strconv.Itoa(x.Column)
		}
	}
	props += ",title=" + escapeProperty(x.Rule)
	return "::" + level + " " + props + "::" + escapeData(x.Message) + "\n"
}

// The escaping of @actions/core (toolkit/packages/core/src/command.ts).
// Escaping newlines is also what keeps user content from starting a
// command of its own on the next line.
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func escapeData(s string) string { return dataEscaper.Replace(noControls(s)) }

func escapeProperty(s string) string { return propertyEscaper.Replace(noControls(s)) }

// noControls replaces control characters other than CR and LF (which the
// escapers encode) with U+FFFD: the job log interprets ANSI escape
// sequences, and user content should not recolour or hide lines there.
func noControls(s string) string {
	if !strings.ContainsFunc(s, isOtherControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isOtherControl(r) {
			return utf8.RuneError
		}
		return r
	}, s)
}

func isOtherControl(r rune) bool {
	return unicode.IsControl(r) && r != '\r' && r != '\n' && r != '\t'
}

// WriteStepOutputs appends the step outputs errors=N and warnings=N to the
// file GitHub Actions names in $GITHUB_OUTPUT. They belong to the run, not
// to a format, so the caller writes them whatever the report format.
func WriteStepOutputs(path string, s Summary) error {
	return appendFile("step outputs", path, fmt.Sprintf("errors=%d\nwarnings=%d\n", s.Errors, s.Warnings))
}

// appendFile appends text to the file at path, as GitHub expects for
// $GITHUB_STEP_SUMMARY and $GITHUB_OUTPUT: earlier steps' content stays.
// what names the file in errors; the os errors name its path.
func appendFile(what, path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	_, werr := f.WriteString(text)
	if err := errors.Join(werr, f.Close()); err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	return nil
}
