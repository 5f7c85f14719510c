package githubtest

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"
)

// commitOnBranch writes entries over main's tree through the Git Data
// API and returns the new commit.
func commitOnBranch(t *testing.T, f *fixture, parent string, entries []*github.TreeEntry, message string) *github.Commit {
	t.Helper()
	ctx := t.Context()
	base, _, err := f.client.Git.GetCommit(ctx, "octo-org", "hello", parent)
	must(t, err)
	tree, _, err := f.client.Git.CreateTree(ctx, "octo-org", "hello", base.GetTree().GetSHA(), entries)
	must(t, err)
	c, _, err := f.client.Git.CreateCommit(ctx, "octo-org", "hello", &github.Commit{
		Message: github.String(message), Tree: tree, Parents: []*github.Commit{{SHA: github.String(parent)}},
	}, nil)
	must(t, err)
	return c
}

func blobEntry(path, mode, content string) *github.TreeEntry {
	return &github.TreeEntry{Path: github.String(path), Mode: github.String(mode), Type: github.String("blob"), Content: github.String(content)}
}

func deleteEntry(path string) *github.TreeEntry {
	return &github.TreeEntry{Path: github.String(path), Mode: github.String("100644"), Type: github.String("blob")}
}

// A tree with base_tree and inline contents (regular, executable,
// symlink, a deletion), a commit and a new branch, written through the
// Git Data API, are real Git objects: the REST API reads them back and
// git clone checks them out.
func TestGitDataWritesRealObjects(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	c := commitOnBranch(t, f, f.sha, []*github.TreeEntry{
		blobEntry("README.md", "100644", "# hello, upgraded\n"),
		blobEntry("bin/run.sh", "100755", "#!/bin/sh\necho run\n"),
		blobEntry("docs/latest", "120000", "a.md"),
		deleteEntry("docs/a.md"),
	}, "Upgrade\n\nPortico-Template: svc")
	if c.GetAuthor().GetName() != f.app.Slug+"[bot]" || !c.GetVerification().GetVerified() {
		t.Errorf("commit by %q verified %v, want the App's bot and signed", c.GetAuthor().GetName(), c.GetVerification().GetVerified())
	}
	ref, _, err := f.client.Git.CreateRef(ctx, "octo-org", "hello", &github.Reference{
		Ref: github.String("refs/heads/portico/template/svc"), Object: &github.GitObject{SHA: c.SHA},
	})
	must(t, err)
	got, _, err := f.client.Git.GetRef(ctx, "octo-org", "hello", "heads/portico/template/svc")
	must(t, err)
	if got.GetObject().GetSHA() != c.GetSHA() || ref.GetRef() != "refs/heads/portico/template/svc" || got.GetObject().GetType() != "commit" {
		t.Errorf("ref %v, want refs/heads/portico/template/svc at %s", got, c.GetSHA())
	}
	read, _, err := f.client.Git.GetCommit(ctx, "octo-org", "hello", c.GetSHA())
	must(t, err)
	if read.GetMessage() != "Upgrade\n\nPortico-Template: svc" || len(read.Parents) != 1 || read.Parents[0].GetSHA() != f.sha {
		t.Errorf("commit read back: %q parents %v", read.GetMessage(), read.Parents)
	}

	dir := t.TempDir()
	if out, err := gitCmd(t, dir, "clone", "--quiet", "--branch", "portico/template/svc", authURL(t, f, f.token(t)), "work"); err != nil {
		t.Fatalf("clone: %v: %s", err, out)
	}
	work := filepath.Join(dir, "work")
	readme, _ := os.ReadFile(filepath.Join(work, "README.md"))
	if string(readme) != "# hello, upgraded\n" {
		t.Errorf("README.md = %q", readme)
	}
	if _, err := os.Stat(filepath.Join(work, "docs/a.md")); !os.IsNotExist(err) {
		t.Errorf("docs/a.md still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(work, "catalog-info.yaml")); err != nil {
		t.Errorf("catalog-info.yaml from the base tree is gone: %v", err)
	}
	ls, _ := gitCmd(t, work, "ls-tree", "-r", "HEAD")
	for _, want := range []string{"100755 blob", "120000 blob"} {
		if !strings.Contains(ls, want) {
			t.Errorf("tree lacks a %s entry:\n%s", want, ls)
		}
	}
}

// GitHub's refusals: a base_tree that is not a tree, deleting a path
// the base does not have, both sha and content, a ref that exists
// already, a ref that does not, and a non-fast-forward update unless
// forced.
func TestGitDataRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	_, _, err := f.client.Git.CreateTree(ctx, "octo-org", "hello", f.sha, []*github.TreeEntry{blobEntry("a", "100644", "a")})
	if status(err) != http.StatusUnprocessableEntity || !strings.Contains(err.Error(), "base_tree is not a valid tree oid") {
		t.Errorf("base_tree = a commit: %v, want 422", err)
	}
	base, _, err := f.client.Git.GetCommit(ctx, "octo-org", "hello", f.sha)
	must(t, err)
	for name, e := range map[string]*github.TreeEntry{
		"delete a missing path": deleteEntry("nope.txt"),
		"sha and content":       {Path: github.String("x"), Mode: github.String("100644"), Type: github.String("blob"), SHA: github.String(base.GetTree().GetSHA()), Content: github.String("x")},
	} {
		if _, _, err := f.client.Git.CreateTree(ctx, "octo-org", "hello", base.GetTree().GetSHA(), []*github.TreeEntry{e}); status(err) != http.StatusUnprocessableEntity {
			t.Errorf("%s: %v, want 422", name, err)
		}
	}

	first := commitOnBranch(t, f, f.sha, []*github.TreeEntry{blobEntry("one", "100644", "1\n")}, "one")
	other := commitOnBranch(t, f, f.sha, []*github.TreeEntry{blobEntry("two", "100644", "2\n")}, "two")
	ref := &github.Reference{Ref: github.String("refs/heads/topic"), Object: &github.GitObject{SHA: first.SHA}}
	_, _, err = f.client.Git.CreateRef(ctx, "octo-org", "hello", ref)
	must(t, err)
	if _, _, err := f.client.Git.CreateRef(ctx, "octo-org", "hello", ref); status(err) != http.StatusUnprocessableEntity {
		t.Errorf("creating an existing ref: %v, want 422", err)
	}
	missing := &github.Reference{Ref: github.String("refs/heads/missing"), Object: &github.GitObject{SHA: first.SHA}}
	if _, _, err := f.client.Git.UpdateRef(ctx, "octo-org", "hello", missing, true); status(err) != http.StatusUnprocessableEntity {
		t.Errorf("updating a missing ref: %v, want 422", err)
	}
	moved := &github.Reference{Ref: github.String("refs/heads/topic"), Object: &github.GitObject{SHA: other.SHA}}
	if _, _, err := f.client.Git.UpdateRef(ctx, "octo-org", "hello", moved, false); status(err) != http.StatusUnprocessableEntity || !strings.Contains(err.Error(), "not a fast forward") {
		t.Errorf("non-fast-forward without force: %v, want 422", err)
	}
	if _, _, err := f.client.Git.UpdateRef(ctx, "octo-org", "hello", moved, true); err != nil {
		t.Errorf("forced update: %v", err)
	}
	after := commitOnBranch(t, f, other.GetSHA(), []*github.TreeEntry{blobEntry("three", "100644", "3\n")}, "three")
	ff := &github.Reference{Ref: github.String("refs/heads/topic"), Object: &github.GitObject{SHA: after.SHA}}
	if _, _, err := f.client.Git.UpdateRef(ctx, "octo-org", "hello", ff, false); err != nil {
		t.Errorf("fast-forward update: %v", err)
	}
	if _, _, err := f.client.Git.GetRef(ctx, "octo-org", "hello", "heads/missing"); status(err) != http.StatusNotFound {
		t.Errorf("GET a missing ref: %v, want 404", err)
	}
}

// A ref moved through the API moves the open pull request from it and
// sends push and synchronize, as a git push does.
func TestUpdateRefMovesPullRequest(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	first := commitOnBranch(t, f, f.sha, []*github.TreeEntry{blobEntry("one", "100644", "1\n")}, "one")
	_, _, err := f.client.Git.CreateRef(ctx, "octo-org", "hello", &github.Reference{Ref: github.String("refs/heads/topic"), Object: &github.GitObject{SHA: first.SHA}})
	must(t, err)
	pr, _, err := f.client.PullRequests.Create(ctx, "octo-org", "hello", &github.NewPullRequest{
		Title: github.String("topic"), Head: github.String("topic"), Base: github.String("main"),
	})
	must(t, err)
	second := commitOnBranch(t, f, f.sha, []*github.TreeEntry{blobEntry("two", "100644", "2\n")}, "two")
	_, _, err = f.client.Git.UpdateRef(ctx, "octo-org", "hello", &github.Reference{Ref: github.String("refs/heads/topic"), Object: &github.GitObject{SHA: second.SHA}}, true)
	must(t, err)
	f.srv.WaitDeliveries()
	got, err := f.srv.PullRequest("octo-org", "hello", pr.GetNumber())
	must(t, err)
	if got.HeadSHA != second.GetSHA() {
		t.Errorf("pull request head %s, want %s", got.HeadSHA, second.GetSHA())
	}
	syncs := f.hooks.find("pull_request", "synchronize")
	if len(syncs) != 1 {
		t.Fatalf("%d synchronize deliveries, want 1", len(syncs))
	}
	var forced bool
	for _, p := range f.hooks.find("push", "") {
		if p.payload["ref"] == "refs/heads/topic" && p.payload["after"] == second.GetSHA() {
			forced, _ = p.payload["forced"].(bool)
		}
	}
	if !forced {
		t.Error("no forced push delivery for the forced ref update")
	}
}

// A blob written in Base64 keeps every byte, and a tree entry can name
// it by SHA.
func TestCreateBlob(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	data := []byte{0x89, 'P', 'N', 'G', 0, 0xff, '\n'}
	b, _, err := f.client.Git.CreateBlob(ctx, "octo-org", "hello", &github.Blob{
		Content: github.String(base64.StdEncoding.EncodeToString(data)), Encoding: github.String("base64"),
	})
	must(t, err)
	c := commitOnBranch(t, f, f.sha, []*github.TreeEntry{{
		Path: github.String("logo.png"), Mode: github.String("100644"), Type: github.String("blob"), SHA: b.SHA,
	}}, "logo")
	got, _, err := f.client.Git.GetBlobRaw(ctx, "octo-org", "hello", b.GetSHA())
	must(t, err)
	if !bytes.Equal(got, data) {
		t.Errorf("blob read back %q, want %q", got, data)
	}
	if e, ok := lsPath(ctx, f.srv.Dir()+"/repos/octo-org/hello.git", c.GetSHA(), "logo.png"); !ok || e.sha != b.GetSHA() {
		t.Errorf("logo.png in the commit: %+v %v", e, ok)
	}
}
