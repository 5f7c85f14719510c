package scorereport

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/portico-dev/portico/app/scorecard"
)

// writeText prints, per entity, each scorecard's level and points and
// what to fix to reach the next level, then a summary line per
// scorecard: what a person reads in a terminal.
func writeText(w io.Writer, entities []Entity) error {
	bw := bufio.NewWriter(w)
	for _, e := range entities {
		if len(e.Scorecards) == 0 {
			continue
		}
		fmt.Fprintf(bw, "%s (%s:%d)\n", e.Ref, e.Path, e.Line)
		for _, r := range e.Scorecards {
			textResult(bw, r)
		}
		bw.WriteString("\n")
	}
	textSummary(bw, Summarize(entities), entities)
	return bw.Flush()
}

func textResult(w *bufio.Writer, r scorecard.Result) {
	if r.Err != nil {
		fmt.Fprintf(w, "  %s: error: %v\n", r.ID, r.Err)
		return
	}
	fmt.Fprintf(w, "  %s: %s, %d/%d points\n", r.ID, r.Level, r.Points, r.MaxPoints)
	if todo := toDo(r); len(todo) > 0 {
		fmt.Fprintf(w, "    to reach %s:\n", r.NextLevel)
		for _, rr := range todo {
			fmt.Fprintf(w, "      - %s (%s, %d): %s\n", rr.ID, rr.Level, rr.Weight, rr.Message)
		}
	}
	if unknown := unknownRules(r); len(unknown) > 0 {
		ids := make([]string, len(unknown))
		for i, rr := range unknown {
			ids[i] = rr.ID
		}
		fmt.Fprintf(w, "    not judged here: %s\n", strings.Join(ids, ", "))
	}
}

func textSummary(w *bufio.Writer, s Summary, entities []Entity) {
	fmt.Fprintf(w, "%d %s scored\n", s.Entities, plural(s.Entities, "entity", "entities"))
	for _, id := range scorecardIDs(entities) {
		fmt.Fprintf(w, "  %s: %s\n", id, levelCounts(s.ByLevel[id], levelOrder(entities, id)))
	}
}

// levelOrder lists the levels of scorecard id from the top down, then
// none and error: the order a summary reads best in.
func levelOrder(entities []Entity, id string) []string {
	for _, e := range entities {
		for _, r := range e.Scorecards {
			if r.ID == id {
				return append(reversed(r.Levels), scorecard.None, ErrorLevel)
			}
		}
	}
	return []string{scorecard.None, ErrorLevel}
}

func levelCounts(counts map[string]int, order []string) string {
	var parts []string
	for _, l := range order {
		if n := counts[l]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, l))
		}
	}
	return strings.Join(parts, ", ")
}

func reversed(ss []string) []string {
	out := slices.Clone(ss)
	slices.Reverse(out)
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
