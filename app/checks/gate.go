package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/portico-dev/portico/app/scorecard"
)

// failGate is scorecards.fail_below: a level per scorecard that has it.
type failGate map[string]string // scorecard id -> level

// parseFailBelow reads LEVEL (every scorecard that has that level) or
// SCORECARD:LEVEL, as `portico score --fail-below` does. A level no
// scorecard has is an error: the platform's scorecards may have changed
// under the setting, and the check says so rather than gate nothing.
func parseFailBelow(s string, cards []scorecard.Scorecard) (failGate, error) {
	gate := failGate{}
	if s == "" {
		return gate, nil
	}
	id, level, scoped := strings.Cut(s, ":")
	if !scoped {
		id, level = "", s
	}
	for _, c := range cards {
		if slices.Contains(c.Levels, level) && (id == "" || id == c.ID) {
			gate[c.ID] = level
		}
	}
	if len(gate) == 0 {
		return nil, fmt.Errorf("scorecards.fail_below %q: no scorecard has that level", s)
	}
	return gate, nil
}

// below lists the results at the head that are under the gate.
func (g failGate) below(s *scores) []string {
	var out []string
	if s == nil {
		return nil
	}
	for _, e := range s.entities {
		for _, c := range e.changes {
			if level, ok := g[c.ID]; ok && c.Head != nil && c.Head.Below(level) {
				out = append(out, fmt.Sprintf("`%s` is %s on %s, below %s", e.ref, c.Head.Level, c.ID, level))
			}
		}
	}
	return out
}
