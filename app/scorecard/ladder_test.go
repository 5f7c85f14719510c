package scorecard

import (
	"errors"
	"testing"

	"github.com/portico-dev/portico/app/facts"
)

// ladder has two rules per level; "c2" needs branch protection.
var ladder = Scorecard{
	ID: "l", Levels: []string{"a", "b", "c"},
	Rules: []Rule{
		{ID: "a1", Level: "a", Weight: 1, Message: "fix"}, {ID: "a2", Level: "a", Weight: 2, Message: "fix"},
		{ID: "b1", Level: "b", Weight: 3, Message: "fix"}, {ID: "b2", Level: "b", Weight: 4, Message: "fix", Needs: []facts.Fact{facts.Files}},
		{ID: "c1", Level: "c", Weight: 5, Message: "fix"}, {ID: "c2", Level: "c", Weight: 6, Message: "fix", Needs: []facts.Fact{facts.Protected}},
	},
}

func TestLadder(t *testing.T) {
	t.Parallel()
	known := facts.Repository{}
	noProtection := facts.Repository{Unknown: []facts.Fact{facts.Protected}}
	nothing := facts.Nothing("x")
	all := []string{"a1", "a2", "b1", "b2", "c1", "c2"}
	cases := []struct {
		name   string
		passed []string
		repo   facts.Repository
		level  string
		next   string
		points int
	}{
		{"nothing passes", nil, known, None, "a", 0},
		{"everything passes", all, known, "c", "", 21},
		{"one rule of a fails", []string{"a1", "b1", "b2", "c1", "c2"}, known, None, "a", 19},
		{"a reached, b half", []string{"a1", "a2", "b1"}, known, "a", "b", 6},
		{"a higher level passing does not skip a failed one", []string{"a1", "a2", "c1", "c2"}, known, "a", "b", 14},
		{"unknown c2 leaves c to c1", []string{"a1", "a2", "b1", "b2", "c1", "c2"}, noProtection, "c", "", 15},
		{"unknown c2, c1 fails", []string{"a1", "a2", "b1", "b2"}, noProtection, "b", "c", 10},
		// With no files b2 is unknown and b1 decides b; c2 is unknown
		// too, and c1 still passes.
		{"nothing known", all, nothing, "c", "", 11},
		{"nothing known, b1 fails", []string{"a1", "a2", "c1"}, nothing, "a", "b", 8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			passed := map[string]bool{}
			for _, id := range c.passed {
				passed[id] = true
			}
			r := judge(&ladder, passed, c.repo)
			if r.Level != c.level || r.NextLevel != c.next || r.Points != c.points || r.MaxPoints != 21 {
				t.Errorf("level %q next %q points %d/%d, want %q %q %d/21", r.Level, r.NextLevel, r.Points, r.MaxPoints, c.level, c.next, c.points)
			}
			for _, rr := range r.Rules {
				wantUnknown := !c.repo.Known(facts.Protected) && rr.ID == "c2" || !c.repo.Known(facts.Files) && rr.ID == "b2"
				switch {
				case wantUnknown && rr.Status != Unknown:
					t.Errorf("%s is %s, want unknown", rr.ID, rr.Status)
				case !wantUnknown && (rr.Status == Passed) != passed[rr.ID]:
					t.Errorf("%s is %s", rr.ID, rr.Status)
				}
				if (rr.Status == Passed) == (rr.Message != "") {
					t.Errorf("%s: %s with message %q", rr.ID, rr.Status, rr.Message)
				}
			}
		})
	}
}

// A level whose every rule is unknown is not reached: nothing shows that
// the entity is there.
func TestLadderAllUnknownLevel(t *testing.T) {
	t.Parallel()
	s := Scorecard{Levels: []string{"a", "b"}, Rules: []Rule{
		{ID: "a1", Level: "a", Weight: 1, Message: "fix"},
		{ID: "b1", Level: "b", Weight: 1, Message: "fix", Needs: []facts.Fact{facts.Protected}},
	}}
	r := judge(&s, map[string]bool{"a1": true, "b1": true}, facts.Repository{Unknown: []facts.Fact{facts.Protected}})
	if r.Level != "a" || r.NextLevel != "b" || r.Points != 1 {
		t.Errorf("level %q next %q points %d, want a, b, 1", r.Level, r.NextLevel, r.Points)
	}
}

func TestBelow(t *testing.T) {
	t.Parallel()
	levels := []string{"a", "b"}
	cases := []struct {
		level, gate string
		err         error
		below       bool
	}{
		{None, "a", nil, true},
		{"a", "a", nil, false},
		{"a", "b", nil, true},
		{"b", "a", nil, false},
		{"", "a", errors.New("boom"), false},
	}
	for _, c := range cases {
		r := Result{Levels: levels, Level: c.level, Err: c.err}
		if got := r.Below(c.gate); got != c.below {
			t.Errorf("%q below %q (err %v) = %v, want %v", c.level, c.gate, c.err, got, c.below)
		}
	}
}
