package report

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/portico-dev/portico/app/descriptor"
)

// Size limits GitHub puts on the Markdown it accepts. They count characters;
// MarkdownSummary counts bytes, which are never fewer, so it stays under.
const (
	// CheckRunSummaryLimit is the most a Check Run's output.summary holds.
	CheckRunSummaryLimit = 65535
	// StepSummaryLimit is the most one step may write to
	// $GITHUB_STEP_SUMMARY.
	StepSummaryLimit = 1 << 20
)

// MarkdownSummary renders a run as GitHub Markdown: a title with counts, a
// table of findings with errors before warnings, and how to fix them. It is
// fed file by file and keeps only the rows that could fit in its limit, so
// its memory is bounded by the limit however many files a run reads.
type MarkdownSummary struct {
	rules    *Rules
	title    string
	limit    int
	errors   rowList
	warnings rowList
	findings int
}

// rowList holds rendered table rows in input order until they would no
// longer fit in limit bytes; after that it only drops them, so that what
// it holds is always a prefix.
type rowList struct {
	rows []string
	size int
	full bool
}

func (l *rowList) add(row string, limit int) {
	if l.full || l.size+len(row) > limit {
		l.full = true
		return
	}
	l.rows = append(l.rows, row)
	l.size += len(row)
}

// NewMarkdownSummary returns a summary titled title (e.g. "portico" or a
// check name) whose rendering never exceeds limit bytes. A limit of 0 or
// less means CheckRunSummaryLimit. Callers that add their own sections pass
// what is left of GitHub's limit.
func NewMarkdownSummary(title string, limit int) *MarkdownSummary {
	if limit <= 0 {
		limit = CheckRunSummaryLimit
	}
	return &MarkdownSummary{title: title, limit: limit}
}

// WithRules links rule ids to the documentation rules gives them, rather
// than to portico's own under DocsBase. It returns m.
func (m *MarkdownSummary) WithRules(rules *Rules) *MarkdownSummary {
	m.rules = rules
	return m
}

// Add takes one file's findings.
func (m *MarkdownSummary) Add(f *File) {
	for _, d := range f.Documents {
		for _, x := range d.Findings {
			m.findings++
			row := tableRow(m.rules, f.Path, x)
			if x.Severity == descriptor.SeverityError {
				m.errors.add(row, m.limit)
			} else {
				m.warnings.add(row, m.limit)
			}
		}
	}
}

// Render returns the Markdown for a run counted by s. It shows as many
// rows as fit and says how many it left out.
func (m *MarkdownSummary) Render(s Summary) string {
	head := m.heading(s)
	if m.findings == 0 {
		return fit(head, m.limit)
	}
	foot := howToFix
	if len(head)+len(moreLine(m.findings))+len(foot) > m.limit {
		foot = ""
	}
	rows := slices.Concat(m.errors.rows, m.warnings.rows)
	n := m.rowsThatFit(rows, len(head)+len(tableHead)+len(foot))
	var b strings.Builder
	b.WriteString(head)
	if n > 0 {
		b.WriteString(tableHead)
		for _, r := range rows[:n] {
			b.WriteString(r)
		}
	}
	if more := m.findings - n; more > 0 {
		b.WriteString(moreLine(more))
	}
	b.WriteString(foot)
	return fit(b.String(), m.limit)
}

// rowsThatFit returns the largest n such that fixed bytes, the first n rows
// and the line counting the rest fit in the limit. It looks at every n: the
// count line disappears when all rows fit, so the sizes are not monotonic.
func (m *MarkdownSummary) rowsThatFit(rows []string, fixed int) int {
	best, size := 0, fixed
	for i, r := range rows {
		size += len(r)
		need := size
		if more := m.findings - (i + 1); more > 0 {
			need += len(moreLine(more))
		}
		if need <= m.limit {
			best = i + 1
		}
	}
	return best
}

func (m *MarkdownSummary) heading(s Summary) string {
	icon, status := "✅", "no problems found"
	switch {
	case s.Files == 0 && m.findings == 0:
		status = "no files to check"
	case s.Errors > 0:
		icon, status = "❌", plural(s.Errors, "error")+", "+plural(s.Warnings, "warning")
	case s.Warnings > 0:
		icon, status = "⚠️", plural(s.Warnings, "warning")
	}
	return "## " + icon + " " + escapeMarkdown(m.title) + ": " + status + "\n\n" +
		"Checked " + plural(s.Files, "file") + ", " + plural(s.Documents, "document") + ".\n"
}

const tableHead = "\n| Location | Severity | Rule | Message |\n| --- | --- | --- | --- |\n"

const howToFix = "\n### How to fix\n\n" +
	"- Each row points at the value at fault: open the file at that line and column.\n" +
	"- Errors make an entity invalid, and Backstage's catalog refuses it; warnings do not block.\n" +
	"- Run `portico validate` on the files to check a fix before you push.\n"

func moreLine(n int) string {
	return "\n… and " + strconv.Itoa(n) + " more " + noun(n, "finding") +
		": run `portico validate` to list them all.\n"
}

func noun(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func tableRow(rules *Rules, path string, x descriptor.Finding) string {
	sev := escapeMarkdown(string(x.Severity))
	switch x.Severity {
	case descriptor.SeverityError:
		sev = "❌ error"
	case descriptor.SeverityWarning:
		sev = "⚠️ warning"
	}
	return "| " + escapeMarkdown(position(path, x)) + " | " + sev + " | " +
		ruleCell(rules, x.Rule) + " | " + escapeMarkdown(x.Message) + " |\n"
}

// mdReplacer makes user content plain text in a table cell: HTML cannot be
// injected, a pipe cannot end the cell, a newline cannot end the row, and
// inline Markdown (emphasis, code, links) is shown as typed. The pipe
// becomes an entity, which the table parser never takes for a cell
// boundary whatever precedes it.
var mdReplacer = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", "|", "&#124;",
	"\r\n", "<br>", "\n", "<br>", "\r", "<br>",
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "~", `\~`,
)

// EscapeCell makes user content plain text in a Markdown table cell, for
// callers that render tables of their own.
func EscapeCell(s string) string { return escapeMarkdown(s) }

func escapeMarkdown(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r':
			return r
		case r == '\t':
			return ' '
		case unicode.IsControl(r):
			return utf8.RuneError
		}
		return r
	}, s)
	return mdReplacer.Replace(s)
}

// fit cuts s to at most limit bytes on a rune boundary. Render only needs
// it when the limit is too small for even the heading.
func fit(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	for limit > 0 && !utf8.RuneStart(s[limit]) {
		limit--
	}
	return s[:limit]
}
