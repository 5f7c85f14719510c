package scorereport

import (
	"encoding/json"
	"io"

	"github.com/portico-dev/portico/app/scorecard"
)

// The JSON shape is stable: pipelines and the Action read it.
type jsonReport struct {
	Entities []jsonEntity `json:"entities"`
	Summary  jsonSummary  `json:"summary"`
}

type jsonEntity struct {
	Ref        string          `json:"ref"`
	Path       string          `json:"path"`
	Line       int             `json:"line"`
	Scorecards []jsonScorecard `json:"scorecards"`
}

type jsonScorecard struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Level     *string    `json:"level"`      // null when the scorecard failed
	NextLevel *string    `json:"next_level"` // null at the top level
	Points    int        `json:"points"`
	MaxPoints int        `json:"max_points"`
	Rules     []jsonRule `json:"rules"`
	Error     string     `json:"error,omitempty"`
}

type jsonRule struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Level   string `json:"level"`
	Weight  int    `json:"weight"`
	Status  string `json:"status"`
	Message string `json:"message"`
}

type jsonSummary struct {
	Entities int                       `json:"entities"`
	ByLevel  map[string]map[string]int `json:"by_level"`
}

func writeJSON(w io.Writer, entities []Entity) error {
	r := jsonReport{Entities: make([]jsonEntity, len(entities))}
	for i, e := range entities {
		je := jsonEntity{Ref: e.Ref, Path: e.Path, Line: e.Line, Scorecards: make([]jsonScorecard, len(e.Scorecards))}
		for k, s := range e.Scorecards {
			je.Scorecards[k] = toJSON(s)
		}
		r.Entities[i] = je
	}
	s := Summarize(entities)
	r.Summary = jsonSummary{Entities: s.Entities, ByLevel: s.ByLevel}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

func toJSON(s scorecard.Result) jsonScorecard {
	js := jsonScorecard{ID: s.ID, Title: s.Title, Points: s.Points, MaxPoints: s.MaxPoints, Rules: make([]jsonRule, len(s.Rules))}
	if s.Err != nil {
		js.Error = s.Err.Error()
		return js
	}
	js.Level = &s.Level
	if s.NextLevel != "" {
		js.NextLevel = &s.NextLevel
	}
	for i, r := range s.Rules {
		js.Rules[i] = jsonRule{ID: r.ID, Title: r.Title, Level: r.Level, Weight: r.Weight, Status: string(r.Status), Message: r.Message}
	}
	return js
}
