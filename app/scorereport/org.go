package scorereport

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/portico-dev/portico/app/scorecard"
)

// Recorded is one entity's scores as the central catalog records them at
// scorecards/<namespace>/<kind>/<name>.json: an element of the entities
// of `portico score --format json`, with the owner the catalog gives it.
type Recorded struct {
	Ref    string
	Owner  string // spec.owner as a reference; "" when the catalog has none
	scores []jsonScorecard
}

// ParseRecorded reads a score file. A file that is no such element (bad
// JSON, no ref, a scorecard without an id) is an error: the report names
// it and counts the rest.
func ParseRecorded(data []byte) (Recorded, error) {
	var e jsonEntity
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&e); err != nil {
		return Recorded{}, fmt.Errorf("decode score file: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Recorded{}, errors.New("decode score file: more than one JSON value")
	}
	if e.Ref == "" {
		return Recorded{}, errors.New("score file has no ref")
	}
	for i, s := range e.Scorecards {
		if s.ID == "" {
			return Recorded{}, fmt.Errorf("score file: scorecard %d has no id", i)
		}
		if s.Level == nil && s.Error == "" {
			return Recorded{}, fmt.Errorf("score file: scorecard %s has neither a level nor an error", s.ID)
		}
	}
	return Recorded{Ref: e.Ref, scores: e.Scorecards}, nil
}

// Problem is a score file the report could not count.
type Problem struct {
	Path string
	Err  error
}

// Org is the organisation's table: per scorecard, entities per level,
// per owner, and the rules most entities fail.
type Org struct {
	Commit     string // the central catalog commit read; "" when unknown
	Entities   int
	Scorecards []OrgScorecard // by id
	Problems   []Problem      // by path
}

// OrgScorecard is one scorecard across the organisation.
type OrgScorecard struct {
	ID, Title  string
	Levels     []string       // lowest first, as its rules declare them
	Entities   int            // entities it judged
	ByLevel    map[string]int // level (or none, error) -> entities
	ByOwner    []OwnerLevels  // by owner
	MostFailed []FailedRule   // most failures first, then by id
}

// OwnerLevels counts one owner's entities per level.
type OwnerLevels struct {
	Owner    string
	Entities int
	ByLevel  map[string]int
}

// FailedRule is a rule and how many entities fail it.
type FailedRule struct {
	ID, Title, Level string
	Failed           int
}

// SummarizeOrg builds the organisation's table from the recorded scores.
func SummarizeOrg(commit string, recs []Recorded, problems []Problem) Org {
	o := Org{Commit: commit, Entities: len(recs), Problems: slices.Clone(problems)}
	slices.SortFunc(o.Problems, func(a, b Problem) int { return cmp.Compare(a.Path, b.Path) })
	cards := map[string]*orgAcc{}
	for _, r := range recs {
		for _, s := range r.scores {
			acc := cards[s.ID]
			if acc == nil {
				acc = newOrgAcc(s.ID)
				cards[s.ID] = acc
			}
			acc.add(r.Owner, s)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(cards)) {
		o.Scorecards = append(o.Scorecards, cards[id].result())
	}
	return o
}

// orgAcc accumulates one scorecard.
type orgAcc struct {
	card    OrgScorecard
	owners  map[string]*OwnerLevels
	failed  map[string]*FailedRule
	ordered bool // Levels came from a result that listed rules
}

func newOrgAcc(id string) *orgAcc {
	return &orgAcc{card: OrgScorecard{ID: id, ByLevel: map[string]int{}}, owners: map[string]*OwnerLevels{}, failed: map[string]*FailedRule{}}
}

func (a *orgAcc) add(owner string, s jsonScorecard) {
	level := ErrorLevel
	if s.Level != nil {
		level = *s.Level
	}
	if a.card.Title == "" {
		a.card.Title = s.Title
	}
	a.learnLevels(s.Rules, level)
	a.card.Entities++
	a.card.ByLevel[level]++
	ol := a.owners[owner]
	if ol == nil {
		ol = &OwnerLevels{Owner: owner, ByLevel: map[string]int{}}
		a.owners[owner] = ol
	}
	ol.Entities++
	ol.ByLevel[level]++
	for _, r := range s.Rules {
		if r.Status != string(scorecard.Failed) {
			continue
		}
		f := a.failed[r.ID]
		if f == nil {
			f = &FailedRule{ID: r.ID, Title: r.Title, Level: r.Level}
			a.failed[r.ID] = f
		}
		f.Failed++
	}
}

// learnLevels orders the scorecard's levels: the files do not list them,
// but a result lists its rules by level, lowest first. A level seen only
// as an entity's level (a rule-less result) goes last.
func (a *orgAcc) learnLevels(rules []jsonRule, level string) {
	if !a.ordered && len(rules) > 0 {
		var order []string
		for _, r := range rules {
			if !slices.Contains(order, r.Level) {
				order = append(order, r.Level)
			}
		}
		for _, l := range a.card.Levels {
			if !slices.Contains(order, l) {
				order = append(order, l)
			}
		}
		a.card.Levels, a.ordered = order, true
	}
	if level != scorecard.None && level != ErrorLevel && !slices.Contains(a.card.Levels, level) {
		a.card.Levels = append(a.card.Levels, level)
	}
}

func (a *orgAcc) result() OrgScorecard {
	c := a.card
	for _, k := range slices.Sorted(maps.Keys(a.owners)) {
		c.ByOwner = append(c.ByOwner, *a.owners[k])
	}
	for _, f := range a.failed {
		c.MostFailed = append(c.MostFailed, *f)
	}
	slices.SortFunc(c.MostFailed, func(x, y FailedRule) int {
		return cmp.Or(cmp.Compare(y.Failed, x.Failed), cmp.Compare(x.ID, y.ID))
	})
	return c
}

// Rows lists the levels a table shows, top down, then none and error.
func (c OrgScorecard) Rows() []string {
	return append(reversed(c.Levels), scorecard.None, ErrorLevel)
}

// OrgFormats lists the formats WriteOrg takes.
var OrgFormats = []string{"text", "json", "markdown", "html"}

// WriteOrg renders the organisation's table in format.
func WriteOrg(w io.Writer, format string, o Org) error {
	var err error
	switch format {
	case "text":
		err = writeOrgText(w, o)
	case "json":
		err = writeOrgJSON(w, o)
	case "markdown":
		err = writeOrgMarkdown(w, o)
	case "html":
		err = writeOrgHTML(w, o)
	default:
		return fmt.Errorf("unknown format %q: want one of %q", format, OrgFormats)
	}
	if err != nil {
		return fmt.Errorf("write organisation report: %w", err)
	}
	return nil
}

// mostFailedShown is how many failing rules the tables for people list.
const mostFailedShown = 10

func (c OrgScorecard) topFailed() []FailedRule {
	return c.MostFailed[:min(len(c.MostFailed), mostFailedShown)]
}
