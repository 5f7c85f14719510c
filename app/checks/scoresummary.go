package checks

import (
	"fmt"
	"strings"

	"github.com/portico-dev/portico/app/report"
	"github.com/portico-dev/portico/app/scorecard"
)

// scoreSection renders the scorecard section, or "" without one.
func scoreSection(s *scores) string {
	if s == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("### Scorecards\n\n")
	if s.loadErr != nil {
		fmt.Fprintf(&b, "Nothing was scored: %s\n\n", report.EscapeCell(s.loadErr.Error()))
		return b.String()
	}
	b.WriteString("| Entity | Scorecard | Base | Head |\n| --- | --- | --- | --- |\n")
	for _, e := range s.entities {
		for _, c := range e.changes {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", report.EscapeCell(e.ref), report.EscapeCell(c.ID), levelCell(c.Base), levelCell(c.Head)+arrow(c))
		}
	}
	if s.left > 0 {
		fmt.Fprintf(&b, "\n… and %d more descriptors, not scored.\n", s.left)
	}
	b.WriteString("\n")
	for _, e := range s.entities {
		b.WriteString(entityDetails(e))
	}
	if s.factsErr != nil {
		b.WriteString("Some repository facts could not be read from GitHub: the rules that need them are unknown, neither passed nor failed.\n\n")
	}
	if below := s.gate.below(s); len(below) > 0 {
		for _, why := range below {
			fmt.Fprintf(&b, "- ❌ %s (`scorecards.fail_below`)\n", why)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// levelCell is "level (points/max)", "error", or "—" where the scorecard
// did not judge the entity.
func levelCell(r *scorecard.Result) string {
	switch {
	case r == nil:
		return "—"
	case r.Err != nil:
		return "**error**"
	}
	return fmt.Sprintf("%s (%d/%d)", r.Level, r.Points, r.MaxPoints)
}

// arrow marks a level that rose or fell.
func arrow(c scorecard.Change) string {
	if c.Base == nil || c.Head == nil || c.Base.Err != nil || c.Head.Err != nil {
		return ""
	}
	levels := append([]string{scorecard.None}, c.Head.Levels...)
	switch from, to := indexOf(levels, c.Base.Level), indexOf(levels, c.Head.Level); {
	case to > from:
		return " ⬆️"
	case to < from:
		return " ⬇️"
	}
	return ""
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

// entityDetails lists what moved for one entity: its level, the rules
// the change fixed and broke, and scorecards that failed to evaluate.
func entityDetails(e entityScore) string {
	var b strings.Builder
	for _, c := range e.changes {
		switch {
		case c.Head != nil && c.Head.Err != nil:
			fmt.Fprintf(&b, "- **%s**: %s\n", c.ID, report.EscapeCell(c.Head.Err.Error()))
			continue
		case !c.Moved() && len(c.Fixed) == 0 && len(c.Broken) == 0:
			continue
		}
		fmt.Fprintf(&b, "- **%s**: %s → %s\n", c.ID, levelOf(c.Base), levelOf(c.Head))
		rules(&b, "fixed", "✅", c.Fixed)
		rules(&b, "broken", "❌", c.Broken)
	}
	if b.Len() == 0 {
		return ""
	}
	return fmt.Sprintf("**`%s`** (`%s` line %d)\n\n%s\n", report.EscapeCell(e.ref), report.EscapeCell(e.path), e.line, b.String())
}

func levelOf(r *scorecard.Result) string {
	switch {
	case r == nil:
		return "not scored"
	case r.Err != nil:
		return "error"
	}
	return r.Level
}

func rules(b *strings.Builder, what, mark string, rs []scorecard.RuleResult) {
	for _, r := range rs {
		fmt.Fprintf(b, "  - %s %s: `%s` %s", mark, what, r.ID, report.EscapeCell(r.Title))
		if r.Status == scorecard.Failed && r.Message != "" {
			fmt.Fprintf(b, ": %s", report.EscapeCell(r.Message))
		}
		b.WriteString("\n")
	}
}

// scoreTitle counts the scores the change moves.
func scoreTitle(s *scores) string {
	n := 0
	for _, e := range s.entities {
		for _, c := range e.changes {
			if c.Moved() {
				n++
			}
		}
	}
	if n == 0 {
		return "no score moved"
	}
	return plural(n, "score", "scores") + " moved"
}
