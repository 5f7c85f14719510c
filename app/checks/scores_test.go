package checks

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/checkrun"
	"github.com/portico-dev/portico/app/checkrun/checkruntest"
	"github.com/portico-dev/portico/app/platform"
	"github.com/portico-dev/portico/app/scorecard"
	"github.com/portico-dev/portico/policies"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update to rewrite):\n%s", name, got)
	}
}

// A bronze service: owned by a group, described, with a lifecycle, a
// README, a system and TechDocs; all silver wants besides is CODEOWNERS
// and CI.
const bronzeService = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments
  description: Takes payments.
  annotations:
    backstage.io/techdocs-ref: dir:.
spec:
  type: service
  lifecycle: production
  owner: group:team-pay
  system: checkout
`

// fixedScorecards gives one engine, or an error.
type fixedScorecards struct {
	eng *scorecard.Engine
	err error
}

func (f fixedScorecards) Scorecards(context.Context, int64) (*scorecard.Engine, error) {
	return f.eng, f.err
}

func defaultScorecards(t *testing.T) fixedScorecards {
	t.Helper()
	eng, err := scorecard.New(context.Background(), policies.ScorecardsFS)
	if err != nil {
		t.Fatal(err)
	}
	return fixedScorecards{eng: eng}
}

func scoreCheck(t *testing.T, repo *fakeRepo, sc Scorecards, failBelow string) checkruntest.Run {
	t.Helper()
	src, err := platform.Fixed(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	api := &checkruntest.API{}
	r := NewRunner(fakeGitHub{repo: repo, api: api}, src, nil).WithPublishing(checkrun.Config{InProgressAfter: time.Hour}).
		WithScorecards(sc, failBelow)
	if err := r.Work(context.Background(), &river.Job[CheckArgs]{Args: args(7, newHead)}); err != nil {
		t.Fatal(err)
	}
	runs := api.Runs()
	if len(runs) != 1 {
		t.Fatalf("%d runs, want 1", len(runs))
	}
	return runs[0]
}

// A pull request that adds CODEOWNERS and a workflow changes no
// descriptor, yet moves the repository's service from bronze to silver:
// the check says so, and a moved score does not fail it.
func TestScoresMoveWithoutDescriptorChange(t *testing.T) {
	t.Parallel()
	repo := &fakeRepo{head: newHead, open: true, baseSHA: oldHead,
		files:  map[string]string{"CODEOWNERS": "* @acme/team-pay\n", ".github/workflows/ci.yml": "on: push\n"},
		status: map[string]string{"CODEOWNERS": "added", ".github/workflows/ci.yml": "added"},
		others: map[string]string{"catalog-info.yaml": bronzeService, "README.md": "# payments\n", "mkdocs.yml": "site_name: payments\n"}, branch: "main"}
	run := scoreCheck(t, repo, defaultScorecards(t), "")
	if run.Conclusion != checkrun.Success || run.Title != "No catalog descriptor changed; 1 score moved" {
		t.Errorf("conclusion %s title %q", run.Conclusion, run.Title)
	}
	golden(t, "scores-moved.summary.golden", run.Summary)
	if n := countReads(repo, "tree "); n != 1 {
		t.Errorf("%d tree requests, want 1 (the base's files come from the diff)", n)
	}
}

// scorecards.fail_below fails the check for an entity below it at the
// head; a change that breaks a rule says which.
func TestScoresFailBelow(t *testing.T) {
	t.Parallel()
	noLifecycle := strings.Replace(bronzeService, "  lifecycle: production\n", "  lifecycle: someday\n", 1)
	repo := &fakeRepo{head: newHead, open: true, baseSHA: oldHead,
		files:  map[string]string{"catalog-info.yaml": noLifecycle},
		atBase: map[string]string{"catalog-info.yaml": bronzeService},
		others: map[string]string{"README.md": "# payments\n"}, branch: "main"}
	run := scoreCheck(t, repo, defaultScorecards(t), "production-readiness:bronze")
	if run.Conclusion != checkrun.Failed {
		t.Errorf("conclusion %s, want failure below bronze", run.Conclusion)
	}
	golden(t, "scores-fail-below.summary.golden", run.Summary)

	ungated := scoreCheck(t, repo, defaultScorecards(t), "")
	if ungated.Conclusion == checkrun.Failed {
		t.Errorf("without fail_below: conclusion %s, want the descriptor findings' alone", ungated.Conclusion)
	}
}

// Scorecards that cannot load are reported in the section; the
// descriptor findings still appear.
func TestScoresLoadError(t *testing.T) {
	t.Parallel()
	repo := &fakeRepo{head: newHead, open: true, baseSHA: oldHead, files: map[string]string{"catalog-info.yaml": brokenDoc}, branch: "main"}
	run := scoreCheck(t, repo, fixedScorecards{err: errors.New("load scorecards: card.rego:3: boom")}, "")
	if run.Conclusion != checkrun.Failed || len(run.Annotations) == 0 || !strings.Contains(run.Summary, "Nothing was scored: load scorecards: card.rego:3: boom") {
		t.Errorf("conclusion %s, %d annotations, summary:\n%s", run.Conclusion, len(run.Annotations), run.Summary)
	}
}

// A repository with no descriptor gets no section, for the price of one
// tree request and no other.
func TestScoresNoDescriptors(t *testing.T) {
	t.Parallel()
	repo := &fakeRepo{head: newHead, open: true, baseSHA: oldHead, files: map[string]string{"main.go": "package main\n"},
		status: map[string]string{"main.go": "added"}, branch: "main"}
	run := scoreCheck(t, repo, defaultScorecards(t), "")
	if run.Title != "No catalog descriptor changed" || strings.Contains(run.Summary, "Scorecards") {
		t.Errorf("title %q summary:\n%s", run.Title, run.Summary)
	}
	if !slices.Equal(repo.readsOf("tree "), []string{"tree " + newHead}) || len(repo.readsOf("file ")) > 0 {
		t.Errorf("reads %q, want one tree request", repo.reads)
	}
}

func countReads(f *fakeRepo, prefix string) int { return len(f.readsOf(prefix)) }

func (f *fakeRepo) readsOf(prefix string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.reads {
		if strings.HasPrefix(r, prefix) {
			out = append(out, r)
		}
	}
	return out
}
