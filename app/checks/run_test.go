package checks

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/checkrun"
	"github.com/portico-dev/portico/app/checkrun/checkruntest"
	"github.com/portico-dev/portico/app/facts"
	"github.com/portico-dev/portico/app/jobs"
	"github.com/portico-dev/portico/app/platform"
)

// fakeRepo is a pull request's repository as plain fields.
type fakeRepo struct {
	head       string
	open       bool
	files      map[string]string // changed files and their content at the head
	withCommit []int             // open pull requests whose head is the commit
	movesTo    string            // a push makes this the head once the files are listed
	// For scorecards: the files at the base that differ, each file's
	// change status (default modified), the head tree's other files.
	baseSHA  string
	atBase   map[string]string
	status   map[string]string
	others   map[string]string // files the change does not touch, same at base and head
	branch   string
	protects bool

	mu    sync.Mutex
	reads []string
}

func (f *fakeRepo) read(what string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads = append(f.reads, what)
}

func (f *fakeRepo) PullRequest(_ context.Context, n int) (Pull, error) {
	f.read(fmt.Sprintf("pull %d", n))
	f.mu.Lock()
	defer f.mu.Unlock()
	return Pull{Head: f.head, Base: f.baseSHA, Open: f.open}, nil
}

func (f *fakeRepo) PullRequestsWithCommit(_ context.Context, sha string) ([]int, error) {
	f.read("pulls of " + sha)
	return f.withCommit, nil
}

func (f *fakeRepo) ChangedFiles(_ context.Context, n int) ([]Change, error) {
	f.read(fmt.Sprintf("files %d", n))
	if f.movesTo != "" {
		f.mu.Lock()
		f.head = f.movesTo
		f.mu.Unlock()
	}
	var out []Change
	for _, p := range slices.Sorted(maps.Keys(f.files)) {
		out = append(out, Change{Path: p, Status: cmp.Or(f.status[p], "modified")})
	}
	return out, nil
}

func (f *fakeRepo) Tree(_ context.Context, sha string, recursive bool) ([]facts.TreeEntry, bool, error) {
	f.read("tree " + sha)
	var out []facts.TreeEntry
	for _, p := range slices.Concat(slices.Collect(maps.Keys(f.files)), slices.Collect(maps.Keys(f.others))) {
		out = append(out, facts.TreeEntry{Path: p, Type: "blob"})
	}
	return out, false, nil
}

func (f *fakeRepo) DefaultBranch(context.Context) (string, error) { return f.branch, nil }
func (f *fakeRepo) Protected(context.Context, string) (bool, error) {
	return f.protects, nil
}
func (f *fakeRepo) Languages(context.Context) ([]string, error) { return nil, nil }

func (f *fakeRepo) File(_ context.Context, path, ref string) ([]byte, int64, error) {
	f.read("file " + path)
	c, ok := f.files[path]
	if ref == f.baseSHA && f.baseSHA != "" {
		c, ok = f.atBase[path]
	}
	if o, in := f.others[path]; in {
		c, ok = o, true
	}
	if !ok {
		return nil, 0, fmt.Errorf("%s: %w", path, fs.ErrNotExist)
	}
	return []byte(c), int64(len(c)), nil
}

type fakeGitHub struct {
	repo *fakeRepo
	api  *checkruntest.API
}

func (g fakeGitHub) Repo(int64, string, string) (Repo, error) { return g.repo, nil }
func (g fakeGitHub) Checks(int64) (checkrun.API, error)       { return g.api, nil }

const (
	oldHead = "1111111111111111111111111111111111111111"
	newHead = "2222222222222222222222222222222222222222"
)

const brokenDoc = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web shop
spec:
  type: website
  lifecycle: production
  owner: user:jane
`

func runCheck(t *testing.T, repo *fakeRepo, a CheckArgs) (*checkruntest.API, error) {
	t.Helper()
	src, err := platform.Fixed(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	api := &checkruntest.API{}
	// Slow machines (-race) must not show a run in progress: the counts of
	// writes below are those of a check that fits in one.
	r := NewRunner(fakeGitHub{repo: repo, api: api}, src, nil).WithPublishing(checkrun.Config{InProgressAfter: time.Hour})
	return api, r.Work(context.Background(), &river.Job[CheckArgs]{Args: a})
}

func args(number int, sha string) CheckArgs {
	return CheckArgs{InstallationID: 1, Owner: "acme", Repo: "web", Number: number, HeadSHA: sha}
}

func TestCheckIsOneWrite(t *testing.T) {
	t.Parallel()
	repo := &fakeRepo{head: newHead, open: true, files: map[string]string{"catalog-info.yaml": brokenDoc, "main.go": "package main\n"}}
	api, err := runCheck(t, repo, args(7, newHead))
	if err != nil {
		t.Fatal(err)
	}
	runs := api.Runs()
	if w := api.Writes(); len(w) != 1 || len(runs) != 1 {
		t.Fatalf("writes %v, runs %d; want one create", w, len(runs))
	}
	run := runs[0]
	if run.Status != checkrun.StatusCompleted || run.Conclusion != checkrun.Failed || run.Target.Name != CheckName || len(run.Annotations) == 0 {
		t.Errorf("run %s %s %q with %d annotations", run.Status, run.Conclusion, run.Target.Name, len(run.Annotations))
	}
	for _, a := range run.Annotations {
		if a.Path != "catalog-info.yaml" || a.StartLine < 1 {
			t.Errorf("annotation %+v not at a line of the descriptor", a)
		}
	}
}

func TestCheckOfAnOlderHeadIsSuperseded(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		head  string
		open  bool
		rerun bool
		want  bool // superseded
	}{
		{"the pull request moved on", newHead, true, false, true},
		{"the pull request was closed", oldHead, false, false, true},
		{"the head is current", oldHead, true, false, false},
		{"someone asked for it again", newHead, true, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			repo := &fakeRepo{head: c.head, open: c.open, files: map[string]string{"catalog-info.yaml": brokenDoc}}
			a := args(7, oldHead)
			a.Rerun = c.rerun
			api, err := runCheck(t, repo, a)
			var s *jobs.SupersededError
			if got := errors.As(err, &s); got != c.want {
				t.Fatalf("superseded %v (err %v), want %v", got, err, c.want)
			}
			if c.want && (len(api.Writes()) != 0 || len(repo.reads) != 1) {
				t.Errorf("a superseded check wrote %v and read %v; want one read and nothing else", api.Writes(), repo.reads)
			}
			if !c.want && len(api.Runs()) != 1 {
				t.Errorf("%d runs, want 1", len(api.Runs()))
			}
		})
	}
}

func TestCheckOfAForkCommitFindsItsPullRequests(t *testing.T) {
	t.Parallel()
	repo := &fakeRepo{files: map[string]string{"catalog-info.yaml": brokenDoc}, withCommit: []int{3}}
	a := args(0, oldHead)
	a.Rerun = true
	api, err := runCheck(t, repo, a)
	if err != nil {
		t.Fatal(err)
	}
	if want := "pulls of " + oldHead; repo.reads[0] != want || !slices.Contains(repo.reads, "files 3") {
		t.Errorf("reads %v, want %q then the files of #3", repo.reads, want)
	}
	if runs := api.Runs(); len(runs) != 1 || runs[0].Conclusion != checkrun.Failed {
		t.Errorf("runs %+v", runs)
	}
}

// TestCheckBoundsAHugeChange: a descriptor of thousands of broken
// documents costs a bounded number of writes, and the summary says how
// to see the rest.
func TestCheckBoundsAHugeChange(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&b, "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc %d\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n", i)
	}
	repo := &fakeRepo{head: newHead, open: true, files: map[string]string{"catalog-info.yaml": b.String()}}
	api, err := runCheck(t, repo, args(9, newHead))
	if err != nil {
		t.Fatal(err)
	}
	run := api.Runs()[0]
	maxWrites := checkrun.DefaultMaxAnnotations / checkrun.AnnotationsPerRequest
	if w := len(api.Writes()); w > maxWrites || len(run.Annotations) != checkrun.DefaultMaxAnnotations {
		t.Errorf("%d writes and %d annotations, want at most %d writes and %d annotations", w, len(run.Annotations), maxWrites, checkrun.DefaultMaxAnnotations)
	}
	if !strings.Contains(run.Summary, "more findings are not shown") || !strings.Contains(run.Summary, "portico validate") {
		t.Errorf("summary does not say how to see every finding:\n%.2000s", run.Summary)
	}
}

// TestCheckOfAHeadPushedOverWhileCheckedWritesNothing: a push during the
// check makes the older head's check superseded before it writes.
func TestCheckOfAHeadPushedOverWhileCheckedWritesNothing(t *testing.T) {
	t.Parallel()
	repo := &fakeRepo{head: oldHead, open: true, movesTo: newHead, files: map[string]string{"catalog-info.yaml": brokenDoc}}
	api, err := runCheck(t, repo, args(7, oldHead))
	var s *jobs.SupersededError
	if !errors.As(err, &s) || len(api.Writes()) != 0 {
		t.Errorf("err %v, writes %v; want superseded with no write", err, api.Writes())
	}
}
