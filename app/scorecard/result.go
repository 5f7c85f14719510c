package scorecard

import (
	"fmt"
	"slices"
	"strings"

	"github.com/portico-dev/portico/app/facts"
)

// Status is how an entity fares on one rule.
type Status string

// The statuses of a rule.
const (
	Passed  Status = "passed"
	Failed  Status = "failed"
	Unknown Status = "unknown" // a fact the rule needs could not be read
)

// Result is one scorecard's verdict on one entity.
type Result struct {
	ID        string
	Title     string
	Package   string
	Levels    []string // the scorecard's levels, lowest first
	Level     string   // None when no level is reached; "" with Err
	NextLevel string   // the level above Level; "" at the top, or with Err
	Points    int
	MaxPoints int
	Rules     []RuleResult // by level, then as declared; none with Err
	Err       error        // the scorecard failed to evaluate
}

// RuleResult is one rule's verdict.
type RuleResult struct {
	ID      string
	Title   string
	Level   string
	Weight  int
	Status  Status
	Message string // failed: how to fix it; unknown: what could not be read
}

// Below reports whether r's level is under level, which must be one of
// r.Levels; a failed evaluation is below nothing (it is an error).
func (r Result) Below(level string) bool {
	return r.Err == nil && slices.Index(r.Levels, r.Level) < slices.Index(r.Levels, level)
}

// judge climbs the ladder: an entity reaches a level when no rule of it
// or of a lower level failed and at least one rule of it passed (a level
// whose rules are all unknown is not shown to be reached).
func judge(s *Scorecard, passed map[string]bool, repo facts.Repository) Result {
	res := Result{ID: s.ID, Title: s.Title, Package: s.Package, Levels: s.Levels, Level: None, Rules: make([]RuleResult, len(s.Rules))}
	for i, r := range s.Rules {
		rr := RuleResult{ID: r.ID, Title: r.Title, Level: r.Level, Weight: r.Weight, Status: Failed, Message: r.Message}
		if missing := unknownFacts(r.Needs, repo); len(missing) > 0 {
			rr.Status, rr.Message = Unknown, "not judged: the repository's "+missing+" could not be read here"
		} else if passed[r.ID] {
			rr.Status, rr.Message = Passed, ""
			res.Points += r.Weight
		}
		res.MaxPoints += r.Weight
		res.Rules[i] = rr
	}
	for _, l := range s.Levels {
		if !reached(res.Rules, l) {
			break
		}
		res.Level = l
	}
	if i := slices.Index(s.Levels, res.Level); i+1 < len(s.Levels) {
		res.NextLevel = s.Levels[i+1]
	}
	return res
}

func reached(rules []RuleResult, level string) bool {
	anyPassed := false
	for _, r := range rules {
		if r.Level != level {
			continue
		}
		if r.Status == Failed {
			return false
		}
		anyPassed = anyPassed || r.Status == Passed
	}
	return anyPassed
}

// factNames are the words messages use for facts.
var factNames = map[facts.Fact]string{
	facts.Files:         "files",
	facts.DefaultBranch: "default branch",
	facts.Protected:     "branch protection",
	facts.Languages:     "languages",
}

func unknownFacts(needs []facts.Fact, repo facts.Repository) string {
	var missing []string
	for _, f := range needs {
		if !repo.Known(f) {
			missing = append(missing, factNames[f])
		}
	}
	return strings.Join(missing, " and ")
}

// failedResult is the verdict of a scorecard that could not evaluate.
func failedResult(s *Scorecard, err error) Result {
	return Result{ID: s.ID, Title: s.Title, Package: s.Package, Levels: s.Levels, Err: fmt.Errorf("scorecard %s (%s): %w", s.ID, s.Package, err)}
}
