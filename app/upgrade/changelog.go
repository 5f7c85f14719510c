package upgrade

import (
	"bufio"
	"bytes"
	"regexp"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// ChangelogFile is the file beside a template's template.yaml whose
// sections an upgrade pull request quotes.
const ChangelogFile = "CHANGELOG.md"

// maxChangelogBytes bounds what one pull request quotes of a changelog.
const maxChangelogBytes = 16 << 10

// versionHeading is a Markdown heading that names a version, as Keep a
// Changelog writes them: "## [1.2.0] - 2026-01-02", "## 1.2.0", "## v1.2.0".
var versionHeading = regexp.MustCompile(`^(#{1,6})\s+\[?v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)\]?`)

// Sections returns the sections of a changelog whose heading names a
// version in (from, to], in the changelog's order, headings included.
// A section runs to the next heading of its level or above. Nothing is
// returned when from or to is not a version.
func Sections(changelog []byte, from, to string) string {
	lo, err1 := semver.NewVersion(from)
	hi, err2 := semver.NewVersion(to)
	if err1 != nil || err2 != nil {
		return ""
	}
	var out strings.Builder
	keep, level := false, 0
	sc := bufio.NewScanner(bytes.NewReader(changelog))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if l := headingLevel(line); l > 0 && (level == 0 || l <= level) {
			m := versionHeading.FindStringSubmatch(line)
			if m == nil {
				keep = false
			} else if v, err := semver.NewVersion(m[2]); err == nil {
				level = len(m[1])
				keep = v.GreaterThan(lo) && !v.GreaterThan(hi)
			}
		}
		if keep {
			out.WriteString(line)
			out.WriteByte('\n')
		}
	}
	s := strings.TrimSpace(out.String())
	if len(s) > maxChangelogBytes {
		s = truncateUTF8(s, maxChangelogBytes) + "\n\n…"
	}
	return s
}

func headingLevel(line string) int {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n == len(line) || line[n] != ' ' {
		return 0
	}
	return n
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
