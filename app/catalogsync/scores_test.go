package catalogsync

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/scorecard"
	"github.com/portico-dev/portico/app/scorereport"
	"github.com/portico-dev/portico/policies"
)

const serviceDoc = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: pay\n  description: Takes payments.\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team-pay\n"

// counting counts the requests per path that pass through it.
type counting struct {
	base http.RoundTripper
	mu   sync.Mutex
	n    map[string]int
}

func (c *counting) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n[r.URL.Path]++
	c.mu.Unlock()
	return c.base.RoundTrip(r)
}

type cards struct {
	e   *scorecard.Engine
	err error
}

func (c cards) Scorecards(context.Context, int64) (*scorecard.Engine, error) { return c.e, c.err }

func scoredWork(t *testing.T, sc Scorecards) (*recorder, *counting) {
	t.Helper()
	f := &fakeGitHub{
		tree: []map[string]any{
			{"path": "catalog-info.yaml", "type": "blob", "sha": "b1", "size": len(serviceDoc)},
			{"path": "README.md", "type": "blob", "sha": "b2", "size": 10},
		},
		blobs: map[string]string{"b1": serviceDoc},
	}
	c := f.client(t)
	cnt := &counting{base: c.Client().Transport, n: map[string]int{}}
	if cnt.base == nil {
		cnt.base = http.DefaultTransport
	}
	counted := github.NewClient(&http.Client{Transport: cnt})
	counted.BaseURL = c.BaseURL
	rec := &recorder{}
	r := NewRunner(clients{counted}, rec, nil).WithScorecards(sc, nil)
	// No branch: the commit is named, so there is no tip request, and the
	// default branch is read from GitHub.
	args := SyncArgs{InstallationID: 1, Owner: "acme", Repo: "web", HeadSHA: headSHA, HTMLURL: "https://github.com/acme/web"}
	if err := r.Work(context.Background(), &river.Job[SyncArgs]{Args: args}); err != nil {
		t.Fatal(err)
	}
	return rec, cnt
}

// The sync scores what it records on facts from the tree it listed:
// one tree request, and facts GitHub did not give (here protection and
// languages: 404) make their rules unknown, not failed.
func TestWorkScoresEntities(t *testing.T) {
	t.Parallel()
	eng, err := scorecard.New(context.Background(), policies.ScorecardsFS)
	if err != nil {
		t.Fatal(err)
	}
	rec, cnt := scoredWork(t, cards{e: eng})
	if n := cnt.n["/repos/acme/web/git/trees/"+headSHA]; n != 1 {
		t.Errorf("%d tree requests, want 1", n)
	}
	if !rec.src.Scored || len(rec.src.Entities) != 1 || rec.src.Entities[0].Score == nil {
		t.Fatalf("source not scored: %+v", rec.src)
	}
	data := string(rec.src.Entities[0].Score)
	if _, err := scorereport.ParseRecorded([]byte(data)); err != nil {
		t.Fatalf("score file: %v\n%s", err, data)
	}
	for _, want := range []string{`"ref": "component:default/pay"`, `"level": "bronze"`, `"id": "default-branch-protected"`} {
		if !strings.Contains(data, want) {
			t.Errorf("score file lacks %s:\n%s", want, data)
		}
	}
	if i := strings.Index(data, `"id": "default-branch-protected"`); !strings.Contains(data[i:min(i+300, len(data))], `"status": "unknown"`) {
		t.Errorf("protection GitHub did not give is not unknown:\n%s", data[i:])
	}
}

// Scorecards that cannot be loaded leave the recorded scores alone.
func TestWorkWithoutScorecards(t *testing.T) {
	t.Parallel()
	rec, _ := scoredWork(t, cards{err: errors.New("malformed scorecard")})
	if rec.src.Scored || len(rec.src.Entities) != 1 {
		t.Errorf("source = %+v, want unscored", rec.src)
	}
}
