package scorecard

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/facts"
	"github.com/portico-dev/portico/app/policy"
	"github.com/portico-dev/portico/policies"
)

// goldService passes every rule of both default scorecards with
// goldFiles and a protected default branch.
const goldService = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments
  title: Payments
  description: Takes card payments.
  annotations:
    backstage.io/techdocs-ref: dir:.
  links:
    - url: https://wiki.example.com/payments/runbook
spec:
  type: service
  lifecycle: production
  owner: team-payments
  system: checkout
`

var goldFiles = []string{".github/workflows/ci.yml", "CODEOWNERS", "README.md", "SECURITY.md", "mkdocs.yml", "pay/pay_test.go"}

// The default rules, one at a time: each case breaks one thing and
// expects exactly the listed rules of production-readiness to fail.
func TestProductionReadinessRules(t *testing.T) {
	t.Parallel()
	e := defaultEngine(t)
	without := func(f string) []string {
		return slices.DeleteFunc(slices.Clone(goldFiles), func(x string) bool { return x == f })
	}
	cases := []struct {
		rule   string
		entity string // replace "old=>new" in goldService
		files  []string
	}{
		{"owner-is-group", "owner: team-payments=>owner: user:jane", goldFiles},
		{"has-description", "  description: Takes card payments.\n=>", goldFiles},
		{"has-lifecycle", "lifecycle: production=>lifecycle: beta", goldFiles},
		{"has-readme", "", without("README.md")},
		{"has-codeowners", "", without("CODEOWNERS")},
		{"has-ci", "", append(without(".github/workflows/ci.yml"), ".github/workflows/notes.txt")},
		{"has-system", "  system: checkout\n=>", goldFiles},
		{"has-techdocs", "", without("mkdocs.yml")},
		{"has-security-policy", "", without("SECURITY.md")},
		{"has-runbook-link", "payments/runbook=>payments/home", goldFiles},
		{"has-tests", "", without("pay/pay_test.go")},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			t.Parallel()
			src := goldService
			if old, new, ok := strings.Cut(c.entity, "=>"); ok {
				src = strings.Replace(src, old, new, 1)
			}
			r := scoreOne(t, e, src, facts.Repository{Files: c.files, Protected: true}, "production-readiness")
			var failed []string
			for _, rr := range r.Rules {
				if rr.Status != Passed {
					failed = append(failed, rr.ID)
				}
			}
			if !slices.Equal(failed, []string{c.rule}) {
				t.Errorf("rules not passed %q, want %q only", failed, c.rule)
			}
		})
	}
	t.Run("default-branch-protected", func(t *testing.T) {
		t.Parallel()
		r := scoreOne(t, e, goldService, facts.Repository{Files: goldFiles, Protected: false}, "production-readiness")
		if s := statuses(r); s["default-branch-protected"] != Failed || r.Level != "silver" || r.Points != 15 {
			t.Errorf("unprotected: %v level %s points %d", s, r.Level, r.Points)
		}
	})
}

// In CLI mode branch protection is unknown: gold is decided by the other
// gold rules, and the points count it out of 16 all the same.
func TestProductionReadinessCLI(t *testing.T) {
	t.Parallel()
	e := defaultEngine(t)
	cli := facts.Repository{Files: goldFiles, Unknown: []facts.Fact{facts.Protected, facts.DefaultBranch}}
	r := scoreOne(t, e, goldService, cli, "production-readiness")
	if s := statuses(r); s["default-branch-protected"] != Unknown || r.Level != "gold" || r.NextLevel != "" || r.Points != 15 || r.MaxPoints != 16 {
		t.Errorf("statuses %v level %s next %q points %d/%d, want gold 15/16 with protection unknown", s, r.Level, r.NextLevel, r.Points, r.MaxPoints)
	}
	silver := facts.Repository{Files: []string{"README.md", "CODEOWNERS", ".github/workflows/ci.yml", "mkdocs.yml"}, Unknown: cli.Unknown}
	r = scoreOne(t, e, goldService, silver, "production-readiness")
	if r.Level != "silver" || r.NextLevel != "gold" || r.Points != 12 {
		t.Errorf("level %s next %s points %d, want silver gold 12", r.Level, r.NextLevel, r.Points)
	}
	// Facts that could not be read make their rules unknown, never failed.
	r = scoreOne(t, e, goldService, facts.Nothing("x"), "production-readiness")
	for _, rr := range r.Rules {
		if rr.Status == Failed {
			t.Errorf("with no facts %s failed, want unknown or passed", rr.ID)
		}
	}
}

func TestDocumentationScorecard(t *testing.T) {
	t.Parallel()
	e := defaultEngine(t)
	group := "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n  description: Payments people.\nspec:\n  type: team\n  children: []\n"
	res, err := e.Score(context.Background(), Input{Entity: parseOne(t, group), Repo: NewRepo(facts.Repository{Files: []string{"README.md"}})})
	if err != nil || len(res) != 1 || res[0].ID != "documentation" {
		t.Fatalf("a Group gets %+v, %v; want the documentation scorecard only", res, err)
	}
	if r := res[0]; r.Level != "basic" || r.NextLevel != "complete" || r.Points != 3 || r.MaxPoints != 7 {
		t.Errorf("level %s next %s points %d/%d", r.Level, r.NextLevel, r.Points, r.MaxPoints)
	}
	r := scoreOne(t, e, goldService, facts.Repository{Files: goldFiles}, "documentation")
	if r.Level != "complete" || r.Points != r.MaxPoints {
		t.Errorf("gold service: level %s points %d/%d", r.Level, r.Points, r.MaxPoints)
	}
}

// The bare owner counts as a group only when the catalog, given, has it.
func TestOwnerAgainstCatalog(t *testing.T) {
	t.Parallel()
	e := defaultEngine(t)
	for _, c := range []struct {
		groups []descriptor.Ref
		want   Status
	}{
		{[]descriptor.Ref{{Kind: "Group", Namespace: "default", Name: "Team-Payments"}}, Passed},
		{[]descriptor.Ref{{Kind: "User", Namespace: "default", Name: "team-payments"}}, Failed},
	} {
		res, err := e.Score(context.Background(), Input{Entity: parseOne(t, goldService), Catalog: NewCatalog(c.groups)})
		if err != nil {
			t.Fatal(err)
		}
		if got := statuses(res[1])["owner-is-group"]; got != c.want {
			t.Errorf("catalog %v: owner-is-group %s, want %s", c.groups, got, c.want)
		}
	}
}

func scoreOne(t *testing.T, e *Engine, src string, repo facts.Repository, id string) Result {
	t.Helper()
	res, err := e.Score(context.Background(), Input{Entity: parseOne(t, src), Repo: NewRepo(repo)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.ID == id {
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			return r
		}
	}
	t.Fatalf("no %s result in %+v", id, res)
	return Result{}
}

// The default scorecards' Rego tests run with portico's own tests, as
// `portico policy test` runs them.
func TestDefaultScorecardsRegoTests(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	passed, failed, err := policy.RunTests(context.Background(), policies.ScorecardsFS, &out)
	if err != nil || failed > 0 || passed < 18 {
		t.Errorf("%d passed, %d failed, err %v; want 18 or more and no failure:\n%s", passed, failed, err, out.String())
	}
}
