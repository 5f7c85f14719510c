package scorereport

import (
	"encoding/json"
	"io"
)

// The organisation report's JSON shape is stable: dashboards read it.
type orgJSON struct {
	Commit     string             `json:"commit"`
	Entities   int                `json:"entities"`
	Scorecards []orgScorecardJSON `json:"scorecards"`
	Problems   []problemJSON      `json:"problems"`
}

type orgScorecardJSON struct {
	ID         string           `json:"id"`
	Title      string           `json:"title"`
	Levels     []string         `json:"levels"`
	Entities   int              `json:"entities"`
	ByLevel    map[string]int   `json:"by_level"`
	ByOwner    []ownerJSON      `json:"by_owner"`
	MostFailed []failedRuleJSON `json:"most_failed"`
}

type ownerJSON struct {
	Owner    string         `json:"owner"`
	Entities int            `json:"entities"`
	ByLevel  map[string]int `json:"by_level"`
}

type failedRuleJSON struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Level  string `json:"level"`
	Failed int    `json:"failed"`
}

type problemJSON struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

func writeOrgJSON(w io.Writer, o Org) error {
	out := orgJSON{Commit: o.Commit, Entities: o.Entities, Scorecards: []orgScorecardJSON{}, Problems: []problemJSON{}}
	for _, c := range o.Scorecards {
		jc := orgScorecardJSON{ID: c.ID, Title: c.Title, Levels: c.Levels, Entities: c.Entities, ByLevel: c.ByLevel,
			ByOwner: []ownerJSON{}, MostFailed: []failedRuleJSON{}}
		if jc.Levels == nil {
			jc.Levels = []string{}
		}
		for _, ol := range c.ByOwner {
			jc.ByOwner = append(jc.ByOwner, ownerJSON{Owner: ol.Owner, Entities: ol.Entities, ByLevel: ol.ByLevel})
		}
		for _, f := range c.MostFailed {
			jc.MostFailed = append(jc.MostFailed, failedRuleJSON(f))
		}
		out.Scorecards = append(out.Scorecards, jc)
	}
	for _, p := range o.Problems {
		out.Problems = append(out.Problems, problemJSON{Path: p.Path, Error: p.Err.Error()})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
