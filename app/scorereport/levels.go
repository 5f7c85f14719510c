package scorereport

import (
	"encoding/json"
	"io"
)

// WriteLevels writes each entity's level per scorecard as one line of
// JSON, {"component:default/payments": {"production-readiness": "silver"}}:
// the Action's levels output, small enough for a workflow's fromJSON.
// A scorecard that failed to evaluate has the level "error"; an entity
// that no scorecard applies to is left out.
func WriteLevels(w io.Writer, entities []Entity) error {
	levels := map[string]map[string]string{}
	for _, e := range entities {
		if len(e.Scorecards) == 0 {
			continue
		}
		m := levels[e.Ref]
		if m == nil {
			m = map[string]string{}
			levels[e.Ref] = m
		}
		for _, r := range e.Scorecards {
			m[r.ID] = r.Level
			if r.Err != nil {
				m[r.ID] = ErrorLevel
			}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(levels)
}
