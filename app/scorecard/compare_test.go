package scorecard

import (
	"context"
	"testing"

	"github.com/portico-dev/portico/app/facts"
)

func ids(rs []RuleResult) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

// A change that adds CODEOWNERS and a workflow, and drops the README,
// moves production-readiness and fixes two rules while breaking one.
func TestCompare(t *testing.T) {
	t.Parallel()
	e := defaultEngine(t)
	entity := parseOne(t, goldService)
	score := func(files ...string) []Result {
		res, err := e.Score(context.Background(), Input{Entity: entity, Repo: NewRepo(facts.Repository{Files: files, Unknown: []facts.Fact{facts.Protected}})})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	base := score("README.md", "mkdocs.yml")
	head := score("CODEOWNERS", ".github/workflows/ci.yml", "mkdocs.yml")
	changes := Compare(base, head)
	if len(changes) != 2 || changes[0].ID != "documentation" || changes[1].ID != "production-readiness" {
		t.Fatalf("changes %+v", changes)
	}
	pr := changes[1]
	if !pr.Moved() || pr.Base.Level != "bronze" || pr.Head.Level != None {
		t.Errorf("production-readiness %s -> %s, moved %v", pr.Base.Level, pr.Head.Level, pr.Moved())
	}
	if got := ids(pr.Fixed); len(got) != 2 || got[0] != "has-codeowners" || got[1] != "has-ci" {
		t.Errorf("fixed %q, want has-codeowners and has-ci", got)
	}
	if got := ids(pr.Broken); len(got) != 1 || got[0] != "has-readme" {
		t.Errorf("broken %q, want has-readme", got)
	}
	if same := Compare(base, base); same[0].Moved() || same[1].Moved() || len(same[1].Broken)+len(same[1].Fixed) > 0 {
		t.Errorf("base against itself: %+v", same)
	}
	gone := Compare(base, nil)
	if len(gone) != 2 || gone[0].Head != nil || !gone[0].Moved() {
		t.Errorf("entity removed: %+v", gone)
	}
	// Facts that became unknown neither break nor fix a rule.
	nothing, err := e.Score(context.Background(), Input{Entity: entity, Repo: NewRepo(facts.Nothing("x"))})
	if err != nil {
		t.Fatal(err)
	}
	if c := Compare(base, nothing)[1]; len(c.Broken) != 0 || len(c.Fixed) != 0 {
		t.Errorf("facts lost: broken %q fixed %q, want none", ids(c.Broken), ids(c.Fixed))
	}
}
