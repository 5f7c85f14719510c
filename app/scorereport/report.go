package scorereport

import (
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/portico-dev/portico/app/scorecard"
)

// Entity is one scored entity and where it is declared.
type Entity struct {
	Ref        string // kind:namespace/name, lower-cased
	Path       string // the descriptor file, as given
	Line       int    // where the entity's document starts
	Scorecards []scorecard.Result
}

// Summary counts entities per level per scorecard.
type Summary struct {
	Entities int
	ByLevel  map[string]map[string]int // scorecard id -> level -> entities; "error" for failures
	Errors   int                       // scorecard results that failed to evaluate
}

// ErrorLevel is the level a failed scorecard counts under in a Summary.
const ErrorLevel = "error"

// Summarize counts the entities' levels.
func Summarize(entities []Entity) Summary {
	s := Summary{Entities: len(entities), ByLevel: map[string]map[string]int{}}
	for _, e := range entities {
		for _, r := range e.Scorecards {
			level := r.Level
			if r.Err != nil {
				level = ErrorLevel
				s.Errors++
			}
			if s.ByLevel[r.ID] == nil {
				s.ByLevel[r.ID] = map[string]int{}
			}
			s.ByLevel[r.ID][level]++
		}
	}
	return s
}

// Formats lists the formats Write takes.
var Formats = []string{"text", "json", "markdown"}

// Write renders entities in format.
func Write(w io.Writer, format string, entities []Entity) error {
	var err error
	switch format {
	case "text":
		err = writeText(w, entities)
	case "json":
		err = writeJSON(w, entities)
	case "markdown":
		err = writeMarkdown(w, entities)
	default:
		return fmt.Errorf("unknown format %q: want one of %q", format, Formats)
	}
	if err != nil {
		return fmt.Errorf("write score report: %w", err)
	}
	return nil
}

// toDo lists what an entity must fix to reach the next level: the
// failed rules of that level and of every level below it.
func toDo(r scorecard.Result) []scorecard.RuleResult {
	levels := r.Levels[:slices.Index(r.Levels, r.NextLevel)+1]
	var out []scorecard.RuleResult
	for _, rr := range r.Rules {
		if rr.Status == scorecard.Failed && slices.Contains(levels, rr.Level) {
			out = append(out, rr)
		}
	}
	return out
}

func unknownRules(r scorecard.Result) []scorecard.RuleResult {
	return slices.DeleteFunc(slices.Clone(r.Rules), func(rr scorecard.RuleResult) bool { return rr.Status != scorecard.Unknown })
}

// scorecardIDs lists the scorecards that judged any entity, sorted.
func scorecardIDs(entities []Entity) []string {
	ids := map[string]bool{}
	for _, e := range entities {
		for _, r := range e.Scorecards {
			ids[r.ID] = true
		}
	}
	return slices.Sorted(maps.Keys(ids))
}
