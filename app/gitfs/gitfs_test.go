package gitfs

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// gitRepo makes a repository with the git binary: one commit of files
// (a mode 0o755 file is executable, a "->" prefix a symbolic link), then
// a second commit changing a.txt. It returns the directory and the two
// commits.
func gitRepo(t *testing.T) (dir, first, second string) {
	t.Helper()
	dir = t.TempDir()
	run := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	write := func(p, s string, mode os.FileMode) {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), mode); err != nil {
			t.Fatal(err)
		}
	}
	run("init", "-q", "-b", "main")
	write("a.txt", "one\n", 0o644)
	write("sub/run.sh", "#!/bin/sh\n", 0o755)
	write("sub/deep/big.bin", strings.Repeat("x", 100), 0o644)
	if err := os.Symlink("../a.txt", filepath.Join(dir, "sub", "link")); err != nil {
		t.Fatal(err)
	}
	run("add", "-A")
	run("commit", "-q", "-m", "first")
	first = run("rev-parse", "HEAD")
	write("a.txt", "two\n", 0o644)
	run("commit", "-q", "-am", "second")
	second = run("rev-parse", "HEAD")
	return dir, first, second
}

func TestAtReadsEachCommit(t *testing.T) {
	t.Parallel()
	dir, first, second := gitRepo(t)
	r, err := Open(filepath.Join(dir, "sub"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for commit, want := range map[string]string{first: "one\n", second: "two\n"} {
		fsys, err := r.At(ctx, commit)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := fs.ReadFile(fsys, "a.txt"); err != nil || string(got) != want {
			t.Errorf("a.txt at %s = %q, %v", commit[:7], got, err)
		}
		if err := fstest.TestFS(fsys, "a.txt", "sub/run.sh", "sub/deep/big.bin"); err != nil {
			t.Errorf("fstest: %v", err)
		}
	}
	if head, err := r.Head(); err != nil || head != second {
		t.Errorf("head = %s, %v", head, err)
	}
	if p, err := r.Parent(second); err != nil || p != first {
		t.Errorf("parent = %s, %v", p, err)
	}
	if p, err := r.Parent(first); err != nil || p != "" {
		t.Errorf("root's parent = %q, %v", p, err)
	}
	b1, _ := r.Blob(first, "a.txt")
	b2, _ := r.Blob(second, "a.txt")
	if none, err := r.Blob(first, "nope/x"); b1 == "" || b1 == b2 || none != "" || err != nil {
		t.Errorf("blobs %q %q %q %v", b1, b2, none, err)
	}
}

func TestModesAndLinks(t *testing.T) {
	t.Parallel()
	dir, _, second := gitRepo(t)
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	fsys, err := r.At(context.Background(), second)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := fs.Stat(fsys, "sub/run.sh"); err != nil || fi.Mode().Perm()&0o111 == 0 {
		t.Errorf("run.sh: %v, %v: want executable", fi, err)
	}
	if fi, err := fs.Stat(fsys, "a.txt"); err != nil || fi.Mode().Perm()&0o111 != 0 || fi.Size() != 4 {
		t.Errorf("a.txt: %v, %v", fi, err)
	}
	if target, err := fs.ReadLink(fsys, "sub/link"); err != nil || target != "../a.txt" {
		t.Errorf("link -> %q, %v", target, err)
	}
	if fi, err := fs.Lstat(fsys, "sub/link"); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("lstat link: %v, %v", fi, err)
	}
	if data, err := fs.ReadFile(fsys, "sub/link"); err != nil || string(data) != "two\n" {
		t.Errorf("open through the link: %q, %v", data, err)
	}
	if _, err := fsys.Open("../x"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("open ../x: %v", err)
	}
	if _, err := fsys.Open("missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("open missing: %v", err)
	}
}

func TestBoundsAndUnknownCommits(t *testing.T) {
	t.Parallel()
	dir, _, second := gitRepo(t)
	r, err := Open(dir, WithMaxFile(50))
	if err != nil {
		t.Fatal(err)
	}
	fsys, err := r.At(context.Background(), second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.ReadFile(fsys, "sub/deep/big.bin"); err == nil || !strings.Contains(err.Error(), "more than the 50") {
		t.Errorf("big file: %v", err)
	}
	if _, err := r.At(context.Background(), strings.Repeat("ab", 20)); !errors.Is(err, ErrUnknownCommit) {
		t.Errorf("unknown commit: %v", err)
	}
	if _, err := r.At(context.Background(), "HEAD"); err == nil {
		t.Error("a revision name was taken for a commit id")
	}
	if _, err := Open(t.TempDir()); err == nil {
		t.Error("a directory outside any repository opened")
	}
}
