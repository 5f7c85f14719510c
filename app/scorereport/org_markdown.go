package scorereport

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/portico-dev/portico/app/report"
)

func writeOrgMarkdown(w io.Writer, o Org) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Scorecards\n\n%d %s scored", o.Entities, plural(o.Entities, "entity", "entities"))
	if o.Commit != "" {
		fmt.Fprintf(bw, " (central catalog at `%s`)", o.Commit)
	}
	bw.WriteString(".\n")
	for _, c := range o.Scorecards {
		markdownOrgCard(bw, c)
	}
	if len(o.Problems) > 0 {
		fmt.Fprintf(bw, "\n## Score files not counted\n\n")
		for _, p := range o.Problems {
			fmt.Fprintf(bw, "- %s: %s\n", report.EscapeCell(p.Path), report.EscapeCell(p.Err.Error()))
		}
	}
	return bw.Flush()
}

func markdownOrgCard(w *bufio.Writer, c OrgScorecard) {
	rows := c.Rows()
	fmt.Fprintf(w, "\n## %s (%s)\n\n%d %s.\n\n| level | entities |\n|---|---:|\n",
		report.EscapeCell(c.Title), report.EscapeCell(c.ID), c.Entities, plural(c.Entities, "entity", "entities"))
	for _, l := range rows {
		fmt.Fprintf(w, "| %s | %d |\n", report.EscapeCell(l), c.ByLevel[l])
	}
	w.WriteString("\n| owner | entities |")
	for _, l := range rows {
		fmt.Fprintf(w, " %s |", report.EscapeCell(l))
	}
	w.WriteString("\n|---|---:|" + strings.Repeat("---:|", len(rows)) + "\n")
	for _, ol := range c.ByOwner {
		fmt.Fprintf(w, "| %s | %d |", report.EscapeCell(ownerName(ol.Owner)), ol.Entities)
		for _, l := range rows {
			fmt.Fprintf(w, " %d |", ol.ByLevel[l])
		}
		w.WriteString("\n")
	}
	if top := c.topFailed(); len(top) > 0 {
		w.WriteString("\n| most-failed rule | level | entities failing |\n|---|---|---:|\n")
		for _, f := range top {
			fmt.Fprintf(w, "| %s (%s) | %s | %d |\n", report.EscapeCell(f.Title), report.EscapeCell(f.ID), report.EscapeCell(f.Level), f.Failed)
		}
	}
}
