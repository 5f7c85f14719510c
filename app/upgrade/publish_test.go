package upgrade

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/tree"
)

// fakeGitHub is a plain in-memory GitHub: pull requests newest first,
// branches, commits; writes records every write call.
type fakeGitHub struct {
	pulls    []Pull
	branches map[string]string
	commits  map[string]Commit
	comments map[int][]string
	labels   map[int][]string
	drafts   map[int]bool
	writes   []string
	trees    []tree.Tree
	fail     string // a method that fails
}

func newFake() *fakeGitHub {
	return &fakeGitHub{
		branches: map[string]string{"main": "base"},
		commits:  map[string]Commit{"base": {SHA: "base", Tree: "t-base", Message: "initial"}},
		comments: map[int][]string{}, labels: map[int][]string{}, drafts: map[int]bool{},
	}
}

var errBoom = errors.New("boom")

func (f *fakeGitHub) write(call string) error {
	f.writes = append(f.writes, call)
	if f.fail == call {
		return errBoom
	}
	return nil
}

func (f *fakeGitHub) Pulls(_ context.Context, branch string) ([]Pull, error) {
	if f.fail == "Pulls" {
		return nil, errBoom
	}
	return slices.Clone(f.pulls), nil
}

func (f *fakeGitHub) Branch(_ context.Context, branch string) (string, error) {
	return f.branches[branch], nil
}

func (f *fakeGitHub) Commit(_ context.Context, sha string) (Commit, error) {
	c, ok := f.commits[sha]
	if !ok {
		return Commit{}, fmt.Errorf("no commit %s", sha)
	}
	return c, nil
}

func (f *fakeGitHub) CreateTree(_ context.Context, base string, files tree.Tree, deleted []string) (string, error) {
	if err := f.write("CreateTree"); err != nil {
		return "", err
	}
	f.trees = append(f.trees, files)
	var b strings.Builder
	for _, p := range files.Paths() {
		fmt.Fprintf(&b, "%q %s %q\n", p, files[p].Mode.GitMode(), files[p].Data)
	}
	sum := sha1.Sum(fmt.Appendf(nil, "%s\n%s\n%q", base, b.String(), deleted))
	return hex.EncodeToString(sum[:]), nil
}

func (f *fakeGitHub) CreateCommit(_ context.Context, message, treeSHA, parent string) (string, error) {
	if err := f.write("CreateCommit"); err != nil {
		return "", err
	}
	sha := fmt.Sprintf("c%d", len(f.commits))
	f.commits[sha] = Commit{SHA: sha, Tree: treeSHA, Message: message, Parents: []string{parent}}
	return sha, nil
}

func (f *fakeGitHub) CreateBranch(_ context.Context, branch, sha string) error {
	if f.branches[branch] != "" {
		return errors.New("reference already exists")
	}
	f.branches[branch] = sha
	return f.write("CreateBranch")
}

func (f *fakeGitHub) ForceBranch(_ context.Context, branch, sha string) error {
	f.branches[branch] = sha
	return f.write("ForceBranch")
}

func (f *fakeGitHub) OpenPull(_ context.Context, p NewPull) (Pull, error) {
	if err := f.write("OpenPull"); err != nil {
		return Pull{}, err
	}
	n := len(f.pulls) + 1
	pr := Pull{Number: n, URL: fmt.Sprintf("https://github.test/pull/%d", n), Title: p.Title, Body: p.Body, Open: true, HeadSHA: f.branches[p.Head]}
	f.pulls = append([]Pull{pr}, f.pulls...)
	f.drafts[n] = p.Draft
	return pr, nil
}

func (f *fakeGitHub) EditPull(_ context.Context, number int, title, body string) error {
	for i := range f.pulls {
		if f.pulls[i].Number == number {
			f.pulls[i].Title, f.pulls[i].Body = title, body
		}
	}
	return f.write("EditPull")
}

func (f *fakeGitHub) AddLabels(_ context.Context, number int, labels []string) error {
	f.labels[number] = append(f.labels[number], labels...)
	return f.write("AddLabels")
}

func (f *fakeGitHub) Comments(_ context.Context, number int) ([]string, error) {
	return f.comments[number], nil
}

func (f *fakeGitHub) Comment(_ context.Context, number int, body string) error {
	f.comments[number] = append(f.comments[number], body)
	return f.write("Comment")
}

// push is a person's commit on top of the upgrade branch.
func (f *fakeGitHub) push(branch string) {
	parent := f.branches[branch]
	f.commits["human"] = Commit{SHA: "human", Tree: "t-human", Message: "fix the README", Parents: []string{parent}}
	f.branches[branch] = "human"
}

func (f *fakeGitHub) closeNewest() { f.pulls[0].Open = false }

func proposal(to string) Proposal {
	return Proposal{
		Template: "service", From: "1.0.0", To: to, DefaultBranch: "main", BaseSHA: "base",
		Files:   tree.Tree{"README.md": {Data: []byte("v" + to + "\n")}, "run.sh": {Data: []byte("#!/bin/sh\n"), Mode: tree.Executable}},
		Deleted: []string{"old.txt"}, Title: Title("service", "1.0.0", to), Body: "body " + to,
		Labels: []string{"template-upgrade"},
	}
}

func publish(t *testing.T, f *fakeGitHub, p Proposal) (Outcome, []string) {
	t.Helper()
	before := len(f.writes)
	out, err := Publish(context.Background(), f, p)
	if err != nil {
		t.Fatalf("Publish %s: %v", p.To, err)
	}
	return out, f.writes[before:]
}

// A first run writes the tree, the commit, the branch, the pull request
// and its labels: five writes, the commit on the planned base with
// portico's trailers, the draft flag passed through.
func TestPublishCreates(t *testing.T) {
	t.Parallel()
	f := newFake()
	p := proposal("1.1.0")
	p.Draft = true
	out, writes := publish(t, f, p)
	want := []string{"CreateTree", "CreateCommit", "CreateBranch", "OpenPull", "AddLabels"}
	if out.Result != Created || out.Number != 1 || !slices.Equal(writes, want) {
		t.Fatalf("outcome %+v writes %v, want created with %v", out, writes, want)
	}
	c := f.commits[f.branches["portico/template/service"]]
	if c.Parents[0] != "base" || !isPortico(c, "service") || trailer(c.Message, trailerVersion) != "1.1.0" ||
		!strings.HasPrefix(c.Message, "Upgrade service template from 1.0.0 to 1.1.0\n") {
		t.Errorf("commit %+v", c)
	}
	if !f.drafts[1] || !slices.Equal(f.labels[1], []string{"template-upgrade"}) {
		t.Errorf("draft %v labels %v", f.drafts[1], f.labels[1])
	}
	if !strings.HasPrefix(f.pulls[0].Body, "body 1.1.0\n") || markedVersion(f.pulls[0].Body, "service") != "1.1.0" {
		t.Errorf("body %q", f.pulls[0].Body)
	}
}

// Without labels there is no label request.
func TestPublishWithoutLabels(t *testing.T) {
	t.Parallel()
	f := newFake()
	p := proposal("1.1.0")
	p.Labels = nil
	if _, writes := publish(t, f, p); slices.Contains(writes, "AddLabels") {
		t.Errorf("writes %v", writes)
	}
}

// The same proposal again writes nothing; a changed body alone edits
// the pull request and nothing else; a changed file rewrites the commit.
func TestPublishRerun(t *testing.T) {
	t.Parallel()
	f := newFake()
	publish(t, f, proposal("1.1.0"))
	if out, writes := publish(t, f, proposal("1.1.0")); out.Result != Unchanged || len(writes) != 0 || out.Number != 1 {
		t.Errorf("re-run: %+v %v, want unchanged without writes", out, writes)
	}
	p := proposal("1.1.0")
	p.Body = "a better body"
	if out, writes := publish(t, f, p); out.Result != Updated || !slices.Equal(writes, []string{"EditPull"}) {
		t.Errorf("new body: %+v %v, want one EditPull", out, writes)
	}
	p.Files = tree.Tree{"README.md": {Data: []byte("other\n")}}
	if out, writes := publish(t, f, p); out.Result != Updated || !slices.Equal(writes, []string{"CreateTree", "CreateCommit", "ForceBranch"}) {
		t.Errorf("new files: %+v %v", out, writes)
	}
	p.Files["README.md"] = tree.File{Data: []byte("other\n"), Mode: tree.Executable}
	if _, writes := publish(t, f, p); len(writes) != 3 {
		t.Errorf("a mode change alone: writes %v, want a new commit", writes)
	}
}

// A newer version supersedes the open pull request in place: the branch
// force-updated, title and body edited, no new pull request or labels.
func TestPublishSupersedes(t *testing.T) {
	t.Parallel()
	f := newFake()
	publish(t, f, proposal("1.1.0"))
	out, writes := publish(t, f, proposal("1.2.0"))
	want := []string{"CreateTree", "CreateCommit", "ForceBranch", "EditPull"}
	if out.Result != Updated || out.Number != 1 || !slices.Equal(writes, want) {
		t.Errorf("%+v %v, want #1 updated with %v", out, writes, want)
	}
	if f.pulls[0].Title != "Upgrade service template from 1.0.0 to 1.2.0" || len(f.pulls) != 1 {
		t.Errorf("pulls %+v", f.pulls)
	}
}

// A person's commit on the branch, or portico's commit amended with other
// files, is never overwritten: one comment per held-back version.
func TestPublishHumanEdit(t *testing.T) {
	t.Parallel()
	for name, edit := range map[string]func(*fakeGitHub){
		"a commit on top": func(f *fakeGitHub) { f.push("portico/template/service") },
		"an amend": func(f *fakeGitHub) {
			c := f.commits[f.branches["portico/template/service"]]
			c.SHA, c.Tree = "amended", "t-amended"
			f.commits["amended"] = c
			f.branches["portico/template/service"] = "amended"
		},
		"a merge": func(f *fakeGitHub) {
			c := f.commits[f.branches["portico/template/service"]]
			c.SHA, c.Parents = "merge", append(c.Parents, "other")
			f.commits["merge"] = c
			f.branches["portico/template/service"] = "merge"
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			publish(t, f, proposal("1.1.0"))
			edit(f)
			tip := f.branches["portico/template/service"]
			for i := range 2 {
				out, writes := publish(t, f, proposal("1.2.0"))
				wantWrites := []string{"Comment"}
				if i > 0 {
					wantWrites = nil
				}
				if out.Result != SkippedHumanEdit || !slices.Equal(writes, wantWrites) {
					t.Errorf("run %d: %+v %v, want skipped with %v", i, out, writes, wantWrites)
				}
			}
			if f.branches["portico/template/service"] != tip || len(f.comments[1]) != 1 || !strings.Contains(f.comments[1][0], "1.2.0") {
				t.Errorf("branch %s comments %q", f.branches["portico/template/service"], f.comments[1])
			}
			if _, writes := publish(t, f, proposal("1.3.0")); !slices.Equal(writes, []string{"Comment"}) {
				t.Errorf("a newer version held back: writes %v, want its own comment", writes)
			}
		})
	}
}

// A pull request closed for a version is not reopened for it; a newer
// version opens a fresh one on the same branch.
func TestPublishClosed(t *testing.T) {
	t.Parallel()
	f := newFake()
	publish(t, f, proposal("1.1.0"))
	f.push("portico/template/service")
	f.closeNewest()
	if out, writes := publish(t, f, proposal("1.1.0")); out.Result != SkippedClosed || len(writes) != 0 || out.Number != 1 {
		t.Errorf("closed version: %+v %v", out, writes)
	}
	out, writes := publish(t, f, proposal("1.2.0"))
	want := []string{"CreateTree", "CreateCommit", "ForceBranch", "OpenPull", "AddLabels"}
	if out.Result != Created || out.Number != 2 || !slices.Equal(writes, want) {
		t.Errorf("newer version after a close: %+v %v, want #2 with %v", out, writes, want)
	}
}

// A run that stopped after moving the branch opens the pull request
// without writing the commit again.
func TestPublishResumes(t *testing.T) {
	t.Parallel()
	f := newFake()
	f.fail = "OpenPull"
	if _, err := Publish(context.Background(), f, proposal("1.1.0")); !errors.Is(err, errBoom) {
		t.Fatalf("err %v, want the failure wrapped", err)
	}
	f.fail = ""
	if out, writes := publish(t, f, proposal("1.1.0")); out.Result != Created || !slices.Equal(writes, []string{"OpenPull", "AddLabels"}) {
		t.Errorf("resumed: %+v %v", out, writes)
	}
}

// Every failure is returned wrapped, with nothing claimed done.
func TestPublishErrors(t *testing.T) {
	t.Parallel()
	for _, call := range []string{"Pulls", "CreateTree", "CreateCommit", "CreateBranch", "AddLabels"} {
		f := newFake()
		f.fail = call
		if out, err := Publish(context.Background(), f, proposal("1.1.0")); !errors.Is(err, errBoom) || out != (Outcome{}) {
			t.Errorf("%s failing: %+v %v", call, out, err)
		}
	}
}

func TestResultString(t *testing.T) {
	t.Parallel()
	var names []string
	for _, r := range Results {
		names = append(names, r.String())
	}
	want := []string{"created", "updated", "unchanged", "skipped_human_edit", "skipped_closed"}
	if !slices.Equal(names, want) || Result(99).String() != "unknown" {
		t.Errorf("names %v", names)
	}
}
