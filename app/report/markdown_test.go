package report

import (
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/portico-dev/portico/app/descriptor"
)

func TestEscapeMarkdown(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"a|b", "a&#124;b"},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"a & b &amp;", "a &amp; b &amp;amp;"},
		{"`code`", "\\`code\\`"},
		{"l1\nl2", "l1<br>l2"},
		{"l1\r\nl2\rl3", "l1<br>l2<br>l3"},
		{"*em* _u_ ~s~", `\*em\* \_u\_ \~s\~`},
		{"[link](https://x)", `\[link\](https://x)`},
		{`back\slash`, `back\\slash`},
		{"tab\there", "tab here"},
		{"nul\x00 esc\x1b", "nul\uFFFD esc\uFFFD"},
		{"bad \xff utf-8", "bad \uFFFD utf-8"},
		{"é 世 🙂", "é 世 🙂"},
	}
	for _, tt := range tests {
		if got := escapeMarkdown(tt.in); got != tt.want {
			t.Errorf("escapeMarkdown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// pieces are what random messages are made of: ASCII, multi-byte runes
// and everything the escaper grows.
var pieces = []string{"a", "name ", "é", "世", "🙂", "|", "<", ">", "&", "`", "\n", "*", "\\", "\x1b"}

func randomFiles(rng *rand.Rand, findings int) ([]File, Summary) {
	var files []File
	var s Summary
	for i := 0; i < findings; {
		doc := Document{Index: 1, Line: 1}
		for n := 1 + rng.IntN(3); n > 0 && i < findings; n-- {
			var msg strings.Builder
			for k := rng.IntN(60); k > 0; k-- {
				msg.WriteString(pieces[rng.IntN(len(pieces))])
			}
			sev := sevError
			if rng.IntN(3) == 0 {
				sev = sevWarning
			}
			doc.Findings = append(doc.Findings, finding(sev, "rule/"+strconv.Itoa(rng.IntN(5)), 1+rng.IntN(500), 1+rng.IntN(80), "", msg.String()))
			i++
		}
		files = append(files, File{Path: "dir" + strconv.Itoa(len(files)) + "/catalog-info.yaml", Documents: []Document{doc}})
		s.Add(&files[len(files)-1])
	}
	return files, s
}

func renderMarkdown(files []File, s Summary, limit int) string {
	m := NewMarkdownSummary("portico", limit)
	for i := range files {
		m.Add(&files[i])
	}
	return m.Render(s)
}

var moreRE = regexp.MustCompile(`(?m)^… and (\d+) more finding`)

// tableRows counts the rows shown and the findings said to be left out,
// and checks that no error row comes after a warning row.
func tableRows(t *testing.T, out string) (rows, more int) {
	t.Helper()
	warned := false
	for line := range strings.Lines(out) {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| Location ") || strings.HasPrefix(line, "| --- ") {
			continue
		}
		rows++
		isWarning := strings.Contains(line, "| ⚠️ warning |")
		if warned && !isWarning {
			t.Errorf("an error row follows a warning row:\n%s", line)
		}
		warned = warned || isWarning
	}
	if m := moreRE.FindStringSubmatch(out); m != nil {
		more, _ = strconv.Atoi(m[1])
	}
	return rows, more
}

// TestMarkdownNeverExceedsLimit is a property test over random findings
// and limits: the output fits, is valid UTF-8, and unless the limit is too
// small for even the heading, shows or counts every finding.
func TestMarkdownNeverExceedsLimit(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(2026, 11))
	for range 400 {
		findings := rng.IntN(300)
		limit := 1 + rng.IntN(30000)
		files, s := randomFiles(rng, findings)
		out := renderMarkdown(files, s, limit)
		if len(out) > limit || !utf8.ValidString(out) {
			t.Fatalf("%d findings, limit %d: %d bytes (valid UTF-8: %v)", findings, limit, len(out), utf8.ValidString(out))
		}
		if findings == 0 || limit < 600 {
			continue
		}
		if !strings.Contains(out, "### How to fix") {
			t.Errorf("%d findings, limit %d: no how-to-fix section", findings, limit)
		}
		if rows, more := tableRows(t, out); rows+more != findings {
			t.Errorf("%d findings, limit %d: %d rows + %d more", findings, limit, rows, more)
		}
	}
}

// TestMarkdownExactFit checks the edge where every row fits only because
// the "… and N more" line is not needed.
func TestMarkdownExactFit(t *testing.T) {
	t.Parallel()
	files, s := randomFiles(rand.New(rand.NewPCG(1, 2)), 40)
	full := renderMarkdown(files, s, 1<<30)
	if rows, more := tableRows(t, full); rows != 40 || more != 0 {
		t.Fatalf("unlimited: %d rows, %d more; want all 40", rows, more)
	}
	if got := renderMarkdown(files, s, len(full)); got != full {
		t.Errorf("with a limit of exactly its size the output changed:\n%s", got)
	}
	cut := renderMarkdown(files, s, len(full)-1)
	if rows, more := tableRows(t, cut); rows+more != 40 || more == 0 || len(cut) >= len(full) {
		t.Errorf("one byte short: %d rows, %d more, %d bytes", rows, more, len(cut))
	}
}

func TestMarkdownTinyLimits(t *testing.T) {
	t.Parallel()
	files, s := randomFiles(rand.New(rand.NewPCG(3, 4)), 10)
	for limit := 1; limit < 700; limit++ {
		if out := renderMarkdown(files, s, limit); len(out) > limit || !utf8.ValidString(out) {
			t.Fatalf("limit %d: %d bytes %q", limit, len(out), out)
		}
	}
}

func TestMarkdownDefaultLimit(t *testing.T) {
	t.Parallel()
	if m := NewMarkdownSummary("x", 0); m.limit != CheckRunSummaryLimit {
		t.Errorf("limit 0 gives %d, want CheckRunSummaryLimit", m.limit)
	}
}

// TestMarkdownMemoryIsBounded feeds far more findings than fit and checks
// that the summary keeps no more than its limit of rows per severity.
func TestMarkdownMemoryIsBounded(t *testing.T) {
	t.Parallel()
	m := NewMarkdownSummary("portico", CheckRunSummaryLimit)
	f := File{Path: "a/catalog-info.yaml", Documents: []Document{{Index: 1, Findings: []descriptor.Finding{
		finding(sevError, "r", 1, 1, "", strings.Repeat("m", 100)),
		finding(sevWarning, "r", 2, 1, "", strings.Repeat("w", 100)),
	}}}}
	for range 100_000 {
		m.Add(&f)
	}
	if m.errors.size > m.limit || m.warnings.size > m.limit {
		t.Errorf("kept %d + %d bytes of rows for a limit of %d", m.errors.size, m.warnings.size, m.limit)
	}
	out := m.Render(Summary{Files: 100_000, Documents: 100_000, Errors: 100_000, Warnings: 100_000})
	if rows, more := tableRows(t, out); len(out) > m.limit || rows+more != 200_000 {
		t.Errorf("%d bytes, %d rows + %d more; want at most %d bytes and 200000 findings", len(out), rows, more, m.limit)
	}
}

func TestMarkdownHeading(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    Summary
		want string
	}{
		{Summary{}, "## ✅ portico: no files to check\n"},
		{Summary{Files: 2, Documents: 3}, "## ✅ portico: no problems found\n"},
		{Summary{Files: 1, Documents: 1, Warnings: 1}, "## ⚠️ portico: 1 warning\n"},
		{Summary{Files: 1, Documents: 1, Errors: 1}, "## ❌ portico: 1 error, 0 warnings\n"},
	}
	for _, tt := range tests {
		m := NewMarkdownSummary("portico", 0)
		if got := m.Render(tt.s); !strings.HasPrefix(got, tt.want) {
			t.Errorf("Render(%+v) = %q, want it to start %q", tt.s, got, tt.want)
		}
	}
}
