package scorecard

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/facts"
)

// oneRuleCard makes a one-rule scorecard named name whose pass rule is body.
func oneRuleCard(name, appliesTo, body string) string {
	return "package portico.scorecards." + name + `

scorecard := {
	"title": "` + name + `",
	"levels": ["ok"],
	"applies_to": {` + appliesTo + `},
	"rules": {"r": {"title": "R", "level": "ok", "weight": 1, "message": "fix r"}},
}

` + body + "\n"
}

const service = "kind: Component\nmetadata:\n  name: a\n  tags: [go, web]\nspec:\n  type: service\n  lifecycle: production\n"

// A scorecard that fails at evaluation is an error of that scorecard,
// naming its package; the other scorecards keep their results.
func TestScoreIsolatesFailingScorecards(t *testing.T) {
	t.Parallel()
	e := engineOf(t, map[string]string{
		"good.rego": oneRuleCard("good", "", `pass contains "r" if input.entity.kind == "Component"`),
		// Two values for one complete rule: a Rego runtime error.
		"conflict.rego":   oneRuleCard("conflict", "", "x := 1 if true\n\nx := 2 if true\n\npass contains \"r\" if x == 1"),
		"shape.rego":      oneRuleCard("shape", "", `pass contains 7 if true`),
		"undeclared.rego": oneRuleCard("undeclared", "", `pass contains "nope" if true`),
	})
	for range 2 { // the second time through the lazily prepared queries
		res, err := e.Score(context.Background(), Input{Entity: parseOne(t, service)})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]Result{}
		for _, r := range res {
			got[r.ID] = r
		}
		if r := got["good"]; r.Err != nil || r.Level != "ok" {
			t.Errorf("good: %+v", r)
		}
		for id, want := range map[string]string{
			"conflict":   "scorecard conflict (data.portico.scorecards.conflict): evaluate: conflict.rego:",
			"shape":      "scorecard shape (data.portico.scorecards.shape): pass holds 7",
			"undeclared": `scorecard undeclared (data.portico.scorecards.undeclared): pass holds "nope"`,
		} {
			if r := got[id]; r.Err == nil || !strings.Contains(r.Err.Error(), want) || r.Level != "" || len(r.Rules) != 0 {
				t.Errorf("%s: %+v, want an error containing %q", id, r, want)
			}
		}
	}
}

func TestAppliesTo(t *testing.T) {
	t.Parallel()
	cases := []struct {
		appliesTo string
		applies   bool
	}{
		{``, true},
		{`"kind": ["component", "API"]`, true},
		{`"kind": ["API"]`, false},
		{`"type": ["service"], "lifecycle": ["production", "experimental"]`, true},
		{`"type": ["website"]`, false},
		{`"lifecycle": ["deprecated"]`, false},
		{`"tags": ["java", "web"]`, true},
		{`"tags": ["java"]`, false},
	}
	for _, c := range cases {
		e := engineOf(t, map[string]string{"c.rego": oneRuleCard("c", c.appliesTo, `pass contains "r" if true`)})
		res, err := e.Score(context.Background(), Input{Entity: parseOne(t, service)})
		if err != nil {
			t.Fatal(err)
		}
		if (len(res) == 1) != c.applies {
			t.Errorf("applies_to {%s}: %d results, want applies %v", c.appliesTo, len(res), c.applies)
		}
	}
}

// Documents that are no entities (not a mapping) get no score.
func TestScoreNonEntities(t *testing.T) {
	t.Parallel()
	e := defaultEngine(t)
	for _, src := range []string{"- a\n- b\n", "just text\n", "a: [\n"} {
		res, err := e.Score(context.Background(), Input{Entity: descriptor.Parse([]byte(src), 0).Documents[0]})
		if err != nil || res != nil {
			t.Errorf("Score(%q) = %+v, %v", src, res, err)
		}
	}
}

func TestScoreCancelled(t *testing.T) {
	t.Parallel()
	e := defaultEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Score(ctx, Input{Entity: parseOne(t, goldService), Repo: NewRepo(facts.Repository{})}); err == nil {
		t.Error("Score with a cancelled context: no error")
	}
}

// A scorecard that loops is stopped at the time bound and reported as an
// error of that scorecard; the others keep their results.
func TestScoreTimeBound(t *testing.T) {
	t.Parallel()
	slow := `pass contains "r" if {
	some i in numbers.range(1, 5000)
	some j in numbers.range(1, 5000)
	some k in numbers.range(1, 5000)
	i + j + k < 0
}`
	e, err := New(context.Background(), mapFS(map[string]string{
		"good.rego": oneRuleCard("good", "", `pass contains "r" if true`),
		"slow.rego": oneRuleCard("slow", "", slow),
	}), WithEvalTimeout(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Score(context.Background(), Input{Entity: parseOne(t, service)})
	if err != nil || len(res) != 2 {
		t.Fatalf("Score = %+v, %v", res, err)
	}
	if res[0].ID != "good" || res[0].Err != nil || res[0].Level != "ok" {
		t.Errorf("good: %+v", res[0])
	}
	if res[1].ID != "slow" || res[1].Err == nil || !strings.Contains(res[1].Err.Error(), "ran longer than 50ms and was stopped") {
		t.Errorf("slow: %+v", res[1])
	}
}
