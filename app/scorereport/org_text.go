package scorereport

import (
	"bufio"
	"fmt"
	"io"
)

// ownerName shows an entity without an owner in the catalog.
func ownerName(o string) string {
	if o == "" {
		return "(no owner)"
	}
	return o
}

func writeOrgText(w io.Writer, o Org) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d %s scored", o.Entities, plural(o.Entities, "entity", "entities"))
	if o.Commit != "" {
		fmt.Fprintf(bw, " (central catalog at %s)", o.Commit)
	}
	bw.WriteString("\n")
	for _, c := range o.Scorecards {
		fmt.Fprintf(bw, "\n%s (%s): %d %s\n", c.ID, c.Title, c.Entities, plural(c.Entities, "entity", "entities"))
		for _, l := range c.Rows() {
			if n := c.ByLevel[l]; n > 0 {
				fmt.Fprintf(bw, "  %-10s %d\n", l, n)
			}
		}
		bw.WriteString("  by owner:\n")
		for _, ol := range c.ByOwner {
			fmt.Fprintf(bw, "    %s: %s\n", ownerName(ol.Owner), levelCounts(ol.ByLevel, c.Rows()))
		}
		if top := c.topFailed(); len(top) > 0 {
			bw.WriteString("  most-failed rules:\n")
		}
		for _, f := range c.topFailed() {
			fmt.Fprintf(bw, "    %s (%s): %d %s\n", f.ID, f.Level, f.Failed, plural(f.Failed, "entity", "entities"))
		}
	}
	textProblems(bw, o.Problems)
	return bw.Flush()
}

func textProblems(w *bufio.Writer, problems []Problem) {
	if len(problems) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%d score %s not counted:\n", len(problems), plural(len(problems), "file", "files"))
	for _, p := range problems {
		fmt.Fprintf(w, "  %s: %v\n", p.Path, p.Err)
	}
}
