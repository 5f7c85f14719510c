package upgrade

import (
	"context"
	"io/fs"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
	"github.com/portico-dev/portico/app/platform"
)

// A snapshot is the default branch's tip; its files cost one tree and one
// blob per path asked that the tip holds, each read once.
func TestSnapshotReadsOnlyWhatIsAsked(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	snap, err := w.repo.Snapshot(ctx)
	must(t, err)
	if snap.Branch != "trunk" || snap.SHA != w.base {
		t.Fatalf("snapshot %s@%s, want trunk@%s", snap.Branch, snap.SHA, w.base)
	}
	before := w.fake.Requests()
	files, err := snap.Files.Files(ctx, []string{"README.md", "missing.txt"})
	must(t, err)
	if _, err := snap.Files.Files(ctx, []string{"README.md", "Makefile"}); err != nil {
		t.Fatal(err)
	}
	if string(files["README.md"].Data) != "svc\n" || len(files) != 1 {
		t.Errorf("files %v", files.Paths())
	}
	after := w.fake.Requests()
	trees := after["GET /repos/{owner}/{repo}/git/trees/{tree_sha}"] - before["GET /repos/{owner}/{repo}/git/trees/{tree_sha}"]
	blobs := after["GET /repos/{owner}/{repo}/git/blobs/{file_sha}"] - before["GET /repos/{owner}/{repo}/git/blobs/{file_sha}"]
	if trees != 1 || blobs != 2 {
		t.Errorf("%d tree and %d blob requests, want 1 and 2 (README.md once, Makefile)", trees, blobs)
	}
}

// The platform's templates/ at a commit, through the API, as a file system
// with templates/ at its root.
func TestPlatformTemplatesAt(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	sha, err := w.fake.Commit("acme", "svc", "trunk", githubtest.Files{
		"templates/svc/template.yaml":   githubtest.Text("kind: Template\n"),
		"templates/svc/skeleton/run.sh": githubtest.Text("#!/bin/sh\n"),
		"policies/x.rego":               githubtest.Text("package x\n"),
	}, "templates")
	must(t, err)
	p, err := platform.NewTemplates(w.client, "acme/svc")
	must(t, err)
	tip, err := p.Tip(context.Background())
	must(t, err)
	fsys, err := p.At(context.Background(), sha)
	must(t, err)
	data, err := fs.ReadFile(fsys, "templates/svc/template.yaml")
	if tip != sha || err != nil || string(data) != "kind: Template\n" {
		t.Fatalf("tip %s (want %s), template.yaml %q %v", tip, sha, data, err)
	}
	if _, err := fs.Stat(fsys, "policies/x.rego"); err == nil {
		t.Error("only templates/ is read")
	}
	empty, err := p.At(context.Background(), w.base)
	must(t, err)
	if _, err := fs.Stat(empty, "templates/svc/template.yaml"); err == nil {
		t.Error("a commit without templates/ holds none")
	}
}
