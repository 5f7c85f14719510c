package catalog

import (
	"context"
	"encoding/json"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/portico-dev/portico/app/facts"
	"github.com/portico-dev/portico/app/scorecard"
	"github.com/portico-dev/portico/app/scorereport"
	"github.com/portico-dev/portico/policies"
)

// described is a service that reaches bronze on production-readiness
// with a README, and silver with CODEOWNERS and CI besides.
const described = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: pay\n  description: Takes payments.\n" +
	"  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team-pay\n  system: checkout\n"

const payScore = "scorecards/default/component/pay.json"

func defaultCards(t *testing.T) *scorecard.Engine {
	t.Helper()
	e, err := scorecard.New(context.Background(), policies.ScorecardsFS)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// repoFacts are the facts of a repository holding files, as a checkout
// gives them: protection is unknown.
func repoFacts(files ...string) facts.Repository {
	return facts.Repository{Name: "acme/shop", Files: files, DefaultBranch: "main", Unknown: []facts.Fact{facts.Protected}}
}

// scored is source, scored with cards on repo.
func scored(t *testing.T, cards Scorer, repo facts.Repository, src Source) Source {
	t.Helper()
	if err := Score(context.Background(), &src, cards, repo, nil); err != nil {
		t.Fatal(err)
	}
	return src
}

// recordedLevel reads the level a score file at the branch's tip records
// for scorecard id, through the reader `portico score report` uses.
func recordedLevel(t *testing.T, dir, path, id string) string {
	t.Helper()
	rec, err := scorereport.ParseRecorded([]byte(gitCLI(t, dir, "show", "main:"+path)))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	org := scorereport.SummarizeOrg("", []scorereport.Recorded{rec}, nil)
	for _, s := range org.Scorecards {
		if s.ID == id {
			for level, n := range s.ByLevel {
				if n == 1 {
					return level
				}
			}
		}
	}
	t.Fatalf("%s records no level on %s", path, id)
	return ""
}

// The score file goes in the entity's commit, beside it; a new score
// alone makes a commit; an unchanged one makes none; the file goes with
// its entity.
func TestSyncRecordsScores(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	cards := defaultCards(t)
	files := map[string]string{"catalog-info.yaml": described}
	res := mustSync(t, s, scored(t, cards, repoFacts("README.md", "catalog-info.yaml", "mkdocs.yml"), source("acme/shop", sha('a'), files)))
	if !reflect.DeepEqual(res.Scores, []string{payScore}) || res.Summary() != "+1 ~0 -0, 1 score" {
		t.Fatalf("first sync = %+v", res)
	}
	if got := gitCLI(t, dir, "log", "-1", "--format=", "--name-only", "main"); !strings.Contains(got, "catalog/default/component/pay.yaml") || !strings.Contains(got, payScore) {
		t.Errorf("entity and score not in one commit:\n%s", got)
	}
	if level := recordedLevel(t, dir, payScore, "production-readiness"); level != "bronze" {
		t.Errorf("recorded level %q, want bronze", level)
	}

	// Same descriptors, same facts: nothing to commit.
	res = mustSync(t, s, scored(t, cards, repoFacts("README.md", "catalog-info.yaml", "mkdocs.yml"), source("acme/shop", sha('b'), files)))
	if res.Commit != "" || len(res.Scores) != 0 {
		t.Fatalf("unchanged score committed: %+v", res)
	}

	// CODEOWNERS and CI, no descriptor change: the score alone moves.
	res = mustSync(t, s, scored(t, cards, repoFacts("CODEOWNERS", ".github/workflows/ci.yml", "README.md", "catalog-info.yaml", "mkdocs.yml"), source("acme/shop", sha('c'), files)))
	if res.Commit == "" || res.Summary() != "+0 ~0 -0, 1 score" {
		t.Fatalf("score-only sync = %+v", res)
	}
	if level := recordedLevel(t, dir, payScore, "production-readiness"); level != "silver" {
		t.Errorf("recorded level %q, want silver", level)
	}
	hist := strings.TrimSpace(gitCLI(t, dir, "log", "--format=%s", "main", "--", payScore))
	if want := "sync acme/shop@ccccccc: +0 ~0 -0, 1 score\nsync acme/shop@aaaaaaa: +1 ~0 -0, 1 score"; hist != want {
		t.Errorf("the score's history:\n%s\nwant:\n%s", hist, want)
	}

	// An unscored sync leaves the score as it is.
	if res = mustSync(t, s, source("acme/shop", sha('d'), files)); res.Commit != "" {
		t.Errorf("unscored sync of the same entity committed: %+v", res)
	}

	// The entity goes, and its score with it, in one commit.
	res = mustSync(t, s, scored(t, cards, repoFacts("README.md"), source("acme/shop", sha('e'), nil)))
	if res.Summary() != "+0 ~0 -1, 1 score" {
		t.Fatalf("deleting sync = %+v", res)
	}
	if got := gitCLI(t, dir, "ls-tree", "-r", "--name-only", "main"); strings.Contains(got, "scorecards/") || strings.Contains(got, "pay.yaml") {
		t.Errorf("entity or score left behind:\n%s", got)
	}
	gitCLI(t, dir, "fsck", "--strict")
}

// Removing a repository removes its entities' scores in the same commit.
func TestRemoveDropsScores(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	mustSync(t, s, scored(t, defaultCards(t), repoFacts("README.md"), source("acme/shop", sha('a'), map[string]string{"catalog-info.yaml": described})))
	res, err := s.Remove(context.Background(), "acme/shop")
	if err != nil || !reflect.DeepEqual(res.Scores, []string{payScore}) || res.Commit == "" {
		t.Fatalf("Remove = %+v, %v", res, err)
	}
	if got := gitCLI(t, dir, "ls-tree", "-r", "--name-only", "main"); strings.Contains(got, "scorecards/") {
		t.Errorf("score left behind:\n%s", got)
	}
}

// A scorecard that fails for an entity is recorded as its error, beside
// the other scorecards' results; facts that could not be read make their
// rules unknown, not failed.
func TestScoreRecordsErrorsAndUnknownFacts(t *testing.T) {
	t.Parallel()
	cards, err := scorecard.New(context.Background(), fstest.MapFS{
		"production_readiness.rego": {Data: defaultCard(t, "production_readiness.rego")},
		"broken.rego": {Data: []byte(`package portico.scorecards.broken

scorecard := {
	"title": "Broken",
	"levels": ["ok"],
	"rules": {"r": {"title": "R", "level": "ok", "weight": 1, "message": "fix r"}},
}

x := 1 if true

x := 2 if true

pass contains "r" if x == 1
`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	s, dir := openTemp(t)
	res := mustSync(t, s, scored(t, cards, facts.Nothing("acme/shop"), source("acme/shop", sha('a'), map[string]string{"catalog-info.yaml": described})))
	if len(res.Scores) != 1 {
		t.Fatalf("sync = %+v", res)
	}
	data := gitCLI(t, dir, "show", "main:"+payScore)
	for _, want := range []string{`"error": "scorecard broken (data.portico.scorecards.broken): evaluate`, `"id": "has-readme"`} {
		if !strings.Contains(data, want) {
			t.Errorf("score file lacks %s:\n%s", want, data)
		}
	}
	var rec struct {
		Scorecards []struct {
			ID    string
			Rules []struct{ ID, Status string }
		}
	}
	if err := json.Unmarshal([]byte(data), &rec); err != nil || len(rec.Scorecards) != 2 {
		t.Fatalf("score file: %v, %+v", err, rec)
	}
	for _, r := range rec.Scorecards[1].Rules {
		if needsFacts := r.ID == "has-readme" || r.ID == "has-ci" || r.ID == "default-branch-protected"; needsFacts && r.Status != "unknown" {
			t.Errorf("%s on facts that could not be read: %s, want unknown", r.ID, r.Status)
		}
	}
	if _, err := scorereport.ParseRecorded([]byte(data)); err != nil {
		t.Errorf("score report cannot read the file: %v", err)
	}
}

func defaultCard(t *testing.T, name string) []byte {
	t.Helper()
	data, err := fs.ReadFile(policies.ScorecardsFS, name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
