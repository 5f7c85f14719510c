package catalogsync

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/checkrun"
	"github.com/portico-dev/portico/app/descriptor"
)

const validDoc = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web-shop
spec:
  type: website
  lifecycle: experimental
  owner: team-shop
`

// fakeGitHub serves one commit's tree and blobs and records check runs.
type fakeGitHub struct {
	mu        sync.Mutex
	tree      []map[string]any
	blobs     map[string]string
	fetched   []string
	checkRuns []map[string]any
	status    int // when set, every request fails with it
}

func (f *fakeGitHub) client(t *testing.T) *github.Client {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /repos/acme/web/git/trees/{sha}", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"sha": r.PathValue("sha"), "tree": f.tree})
	})
	mux.HandleFunc("GET /repos/acme/web/git/blobs/{sha}", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.fetched = append(f.fetched, r.PathValue("sha"))
		f.mu.Unlock()
		content := base64.StdEncoding.EncodeToString([]byte(f.blobs[r.PathValue("sha")]))
		json.NewEncoder(w).Encode(map[string]any{"content": content, "encoding": "base64"})
	})
	record := func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		f.mu.Lock()
		f.checkRuns = append(f.checkRuns, body)
		f.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]any{"id": 7})
	}
	mux.HandleFunc("GET /repos/acme/web/commits/{sha}/check-runs", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"total_count": 0, "check_runs": []any{}})
	})
	mux.HandleFunc("POST /repos/acme/web/check-runs", record)
	mux.HandleFunc("PATCH /repos/acme/web/check-runs/7", record)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.status != 0 {
			w.Header().Set("Retry-After", "60")
			w.WriteHeader(f.status)
			fmt.Fprint(w, `{"message":"no"}`)
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c := github.NewClient(srv.Client())
	c.BaseURL, _ = url.Parse(srv.URL + "/")
	return c
}

type clients struct{ c *github.Client }

func (c clients) Installation(int64) (*github.Client, error) { return c.c, nil }

// recorder is a Syncer that keeps the source and answers res.
type recorder struct {
	src catalog.Source
	res catalog.Result
	err error
}

func (r *recorder) Sync(_ context.Context, src catalog.Source) (catalog.Result, error) {
	r.src = src
	return r.res, r.err
}

func work(t *testing.T, f *fakeGitHub, rec *recorder) error {
	r := NewRunner(clients{f.client(t)}, rec, nil)
	args := SyncArgs{InstallationID: 1, Owner: "acme", Repo: "web", RepoID: 9, HeadSHA: headSHA, HTMLURL: "https://github.com/acme/web"}
	return r.Work(context.Background(), &river.Job[SyncArgs]{Args: args})
}

func TestWorkReadsDescriptorsOnly(t *testing.T) {
	t.Parallel()
	f := &fakeGitHub{
		tree: []map[string]any{
			{"path": "catalog-info.yaml", "type": "blob", "sha": "b1", "size": len(validDoc)},
			{"path": "src/main.go", "type": "blob", "sha": "b2", "size": 10},
			{"path": "big/catalog-info.yaml", "type": "blob", "sha": "b3", "size": descriptor.DefaultMaxBytes + 1},
			{"path": "dir.catalog.yaml", "type": "tree", "sha": "t1"},
		},
		blobs: map[string]string{"b1": validDoc},
	}
	rec := &recorder{}
	if err := work(t, f, rec); err != nil {
		t.Fatal(err)
	}
	if strings.Join(f.fetched, ",") != "b1" {
		t.Errorf("fetched blobs %v, want only b1", f.fetched)
	}
	if rec.src.Repo != "acme/web" || rec.src.RepoID != 9 || rec.src.Commit != headSHA || len(rec.src.Entities) != 2 {
		t.Fatalf("source %+v", rec.src)
	}
	if e := rec.src.Entities[1]; e.Path != "big/catalog-info.yaml" || e.Document.Findings[0].Rule != descriptor.RuleSize {
		t.Errorf("large file not refused: %+v", e)
	}
	if len(f.checkRuns) != 0 {
		t.Errorf("a clean sync posted %d check run requests", len(f.checkRuns))
	}
}

func TestWorkReportsInvalidEntities(t *testing.T) {
	t.Parallel()
	f := &fakeGitHub{}
	var findings []descriptor.Finding
	for i := range checkrun.AnnotationsPerRequest + 5 {
		findings = append(findings, descriptor.Finding{Severity: descriptor.SeverityError, Rule: "r", Message: "bad", Line: i + 1})
	}
	rec := &recorder{res: catalog.Result{
		Invalid:   []catalog.Invalid{{SourcePath: "catalog-info.yaml", Entity: "component:default/web", Findings: findings}},
		Conflicts: []catalog.Conflict{{Entity: "api:default/shop", SourcePath: "api.catalog.yaml", Owner: "acme/api"}},
	}}
	if err := work(t, f, rec); err != nil {
		t.Fatal(err)
	}
	if len(f.checkRuns) != 2 {
		t.Fatalf("%d check run requests, want a create and an update", len(f.checkRuns))
	}
	create := f.checkRuns[0]
	out := create["output"].(map[string]any)
	if create["name"] != CheckName || create["conclusion"] != "neutral" || create["head_sha"] != headSHA ||
		len(out["annotations"].([]any)) != checkrun.AnnotationsPerRequest {
		t.Errorf("create = %v", create)
	}
	summary := out["summary"].(string)
	for _, want := range []string{"`catalog-info.yaml` `component:default/web`: line 1: bad (r)", "`api.catalog.yaml` `api:default/shop` is already declared by acme/api"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	if n := len(f.checkRuns[1]["output"].(map[string]any)["annotations"].([]any)); n != 5 {
		t.Errorf("update has %d annotations, want 5", n)
	}
}

func TestWorkErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status int
		want   any
	}{
		{http.StatusTooManyRequests, new(*river.JobSnoozeError)},
		{http.StatusNotFound, new(*river.JobCancelError)},
	}
	for _, tc := range cases {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			t.Parallel()
			err := work(t, &fakeGitHub{status: tc.status}, &recorder{})
			if err == nil || !errors.As(err, tc.want) {
				t.Errorf("err = %v (%T), want %T", err, err, tc.want)
			}
		})
	}
	err := work(t, &fakeGitHub{status: http.StatusBadGateway}, &recorder{})
	var cancel *river.JobCancelError
	if err == nil || errors.As(err, &cancel) {
		t.Errorf("a 502 gives %v, want a retry", err)
	}
}

// TestWorkLeavesARemovedRepositoryOut completes a sync that the catalog
// refuses because the repository was removed while the job read it.
func TestWorkLeavesARemovedRepositoryOut(t *testing.T) {
	t.Parallel()
	f := &fakeGitHub{tree: []map[string]any{{"path": "catalog-info.yaml", "type": "blob", "sha": "b1", "size": len(validDoc)}},
		blobs: map[string]string{"b1": validDoc}}
	rec := &recorder{err: fmt.Errorf("sync acme/web: %w", catalog.ErrRemoved)}
	if err := work(t, f, rec); err != nil {
		t.Errorf("Work = %v, want the job done: the removal stands", err)
	}
	if rec.src.ReadAt.IsZero() {
		t.Error("the source does not say when it was read")
	}
	if len(f.checkRuns) != 0 {
		t.Errorf("posted %d check run requests", len(f.checkRuns))
	}
}

// TestWorkCutsALargeReport: a push with thousands of invalid entities
// used to get a 422 from GitHub for a summary over its limit.
func TestWorkCutsALargeReport(t *testing.T) {
	t.Parallel()
	f := &fakeGitHub{}
	var invalid []catalog.Invalid
	for i := range 3000 {
		invalid = append(invalid, catalog.Invalid{
			SourcePath: fmt.Sprintf("services/%d/catalog-info.yaml", i), Entity: fmt.Sprintf("component:default/service-%d", i),
			Findings: []descriptor.Finding{{Severity: descriptor.SeverityError, Rule: "backstage/metadata.name", Message: strings.Repeat("too long ", 5), Line: 3}},
		})
	}
	if err := work(t, f, &recorder{res: catalog.Result{Invalid: invalid}}); err != nil {
		t.Fatal(err)
	}
	out := f.checkRuns[0]["output"].(map[string]any)
	if s := out["summary"].(string); len(s) > checkrun.SummaryLimit || !strings.Contains(s, "cut") {
		t.Errorf("summary of %d bytes, want at most %d and a note that it was cut", len(s), checkrun.SummaryLimit)
	}
	if want := checkrun.DefaultMaxAnnotations / checkrun.AnnotationsPerRequest; len(f.checkRuns) != want {
		t.Errorf("%d check run requests, want %d (the annotation cap)", len(f.checkRuns), want)
	}
}
