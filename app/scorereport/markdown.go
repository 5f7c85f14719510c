package scorereport

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/portico-dev/portico/app/report"
)

// writeMarkdown renders a table of every entity's levels, one column
// per scorecard, then per entity the rules to fix for the next level:
// for a job summary or a pull request comment.
func writeMarkdown(w io.Writer, entities []Entity) error {
	bw := bufio.NewWriter(w)
	ids := scorecardIDs(entities)
	s := Summarize(entities)
	fmt.Fprintf(bw, "## Scorecards\n\n%d %s scored.", s.Entities, plural(s.Entities, "entity", "entities"))
	for _, id := range ids {
		fmt.Fprintf(bw, " %s: %s.", id, levelCounts(s.ByLevel[id], levelOrder(entities, id)))
	}
	bw.WriteString("\n\n| entity |")
	for _, id := range ids {
		fmt.Fprintf(bw, " %s |", id)
	}
	bw.WriteString("\n|---|" + strings.Repeat("---|", len(ids)) + "\n")
	for _, e := range entities {
		if len(e.Scorecards) > 0 {
			markdownRow(bw, e, ids)
		}
	}
	for _, e := range entities {
		markdownDetails(bw, e)
	}
	return bw.Flush()
}

func markdownRow(w *bufio.Writer, e Entity, ids []string) {
	fmt.Fprintf(w, "| `%s` |", report.EscapeCell(e.Ref))
	for _, id := range ids {
		cell := ""
		for _, r := range e.Scorecards {
			switch {
			case r.ID != id:
			case r.Err != nil:
				cell = "**error**"
			default:
				cell = fmt.Sprintf("%s (%d/%d)", r.Level, r.Points, r.MaxPoints)
			}
		}
		fmt.Fprintf(w, " %s |", cell)
	}
	w.WriteString("\n")
}

// markdownDetails lists, for an entity with anything to fix, what to do
// next per scorecard.
func markdownDetails(w *bufio.Writer, e Entity) {
	var b strings.Builder
	for _, r := range e.Scorecards {
		if r.Err != nil {
			fmt.Fprintf(&b, "- **%s**: error: %s\n", r.ID, report.EscapeCell(r.Err.Error()))
			continue
		}
		todo := toDo(r)
		if len(todo) > 0 {
			fmt.Fprintf(&b, "- **%s** is %s; to reach %s:\n", r.ID, r.Level, r.NextLevel)
		}
		for _, rr := range todo {
			fmt.Fprintf(&b, "  - [ ] %s (`%s`, %d): %s\n", report.EscapeCell(rr.Title), rr.ID, rr.Weight, report.EscapeCell(rr.Message))
		}
		for _, rr := range unknownRules(r) {
			fmt.Fprintf(&b, "- **%s** `%s`: %s\n", r.ID, rr.ID, report.EscapeCell(rr.Message))
		}
	}
	if b.Len() > 0 {
		fmt.Fprintf(w, "\n### `%s`\n\n`%s` line %d\n\n%s", e.Ref, e.Path, e.Line, b.String())
	}
}
