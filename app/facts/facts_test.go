package facts

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
)

func writeFiles(t *testing.T, dir string, files ...string) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func runGit(t testing.TB, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@x", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@x")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// A checkout's files are what Git tracks: an untracked or ignored file
// is not the repository's, wherever the descriptor sits in it.
func TestCheckoutGit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	runGit(t, dir, "init", "-q", "-b", "main")
	writeFiles(t, dir, "README.md", "svc/catalog-info.yaml", "svc/main.go", "svc/main_test.go", ".gitignore", "tool.py")
	runGit(t, dir, "add", "README.md", "svc", ".gitignore")
	runGit(t, dir, "commit", "-q", "-m", "init")
	writeFiles(t, dir, "untracked.md")
	runGit(t, dir, "add", "tool.py") // staged, not committed: ls-files lists it

	c := NewCheckout()
	r, err := c.Facts(context.Background(), filepath.Join(dir, "svc", "catalog-info.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{".gitignore", "README.md", "svc/catalog-info.yaml", "svc/main.go", "svc/main_test.go", "tool.py"}
	if !slices.Equal(r.Files, want) {
		t.Errorf("files %q, want %q", r.Files, want)
	}
	if !slices.Equal(r.Languages, []string{"Go", "Python"}) {
		t.Errorf("languages %q", r.Languages)
	}
	if len(r.Commit) != 40 || r.Known(Protected) || r.Known(DefaultBranch) || !r.Known(Files) {
		t.Errorf("commit %q, unknown %v: want a commit, protection and default branch unknown without a remote", r.Commit, r.Unknown)
	}
}

// A clone knows its default branch from origin/HEAD.
func TestCheckoutDefaultBranch(t *testing.T) {
	t.Parallel()
	origin := t.TempDir()
	runGit(t, origin, "init", "-q", "-b", "trunk")
	writeFiles(t, origin, "catalog-info.yaml")
	runGit(t, origin, "add", ".")
	runGit(t, origin, "commit", "-q", "-m", "init")
	clone := filepath.Join(t.TempDir(), "clone")
	runGit(t, origin, "clone", "-q", origin, clone)
	r, err := NewCheckout().Facts(context.Background(), filepath.Join(clone, "catalog-info.yaml"))
	if err != nil || r.DefaultBranch != "trunk" || !r.Known(DefaultBranch) {
		t.Errorf("default branch %q (known %v), err %v; want trunk", r.DefaultBranch, r.Known(DefaultBranch), err)
	}
}

// A directory that is no repository: the files on disk, without version
// control and installed dependencies.
func TestCheckoutDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, "catalog-info.yaml", "README.md", "node_modules/x/README.md", "vendor/y.go", ".git-keep", "docs/index.md")
	r, err := NewCheckout().Facts(context.Background(), filepath.Join(dir, "catalog-info.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{".git-keep", "README.md", "catalog-info.yaml", "docs/index.md"}
	if !slices.Equal(r.Files, want) || r.Known(Protected) || !r.Known(Files) {
		t.Errorf("files %q unknown %v, want %q", r.Files, r.Unknown, want)
	}
}

func TestCacheGathersOnce(t *testing.T) {
	t.Parallel()
	var c Cache
	var calls atomic.Int32
	boom := errors.New("boom")
	gather := func(context.Context) (Repository, error) {
		calls.Add(1)
		return Repository{Name: "a"}, boom
	}
	done := make(chan struct{})
	for range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			if r, err := c.Get(context.Background(), "acme/a@1", gather); r.Name != "a" || !errors.Is(err, boom) {
				t.Errorf("Get = %+v, %v", r, err)
			}
		}()
	}
	for range 8 {
		<-done
	}
	if _, _ = c.Get(context.Background(), "acme/a@2", gather); calls.Load() != 2 {
		t.Errorf("gathered %d times, want once per key", calls.Load())
	}
}

// fakeTrees serves trees by sha; a sha in truncate is cut short when
// listed recursively, as GitHub does past its limits.
type fakeTrees struct {
	trees    map[string][]TreeEntry // sha -> its own entries
	truncate map[string]bool
	requests []string
}

func (f *fakeTrees) Tree(_ context.Context, sha string, recursive bool) ([]TreeEntry, bool, error) {
	f.requests = append(f.requests, sha+map[bool]string{true: "/r", false: ""}[recursive])
	own, ok := f.trees[sha]
	if !ok {
		return nil, false, errors.New("404")
	}
	if !recursive {
		return own, false, nil
	}
	if f.truncate[sha] {
		return own[:1], true, nil
	}
	return f.flatten(sha, ""), false, nil
}

func (f *fakeTrees) flatten(sha, prefix string) []TreeEntry {
	var out []TreeEntry
	for _, e := range f.trees[sha] {
		out = append(out, TreeEntry{Path: prefix + e.Path, Type: e.Type, SHA: e.SHA})
		if e.Type == "tree" {
			out = append(out, f.flatten(e.SHA, prefix+e.Path+"/")...)
		}
	}
	return out
}

func TestTreeFiles(t *testing.T) {
	t.Parallel()
	trees := map[string][]TreeEntry{
		"root": {{"README.md", "blob", "b1"}, {"src", "tree", "src"}, {"docs", "tree", "docs"}, {"lib", "commit", "c1"}},
		"src":  {{"main.go", "blob", "b2"}, {"pkg", "tree", "pkg"}},
		"pkg":  {{"x.go", "blob", "b3"}},
		"docs": {{"index.md", "blob", "b4"}},
	}
	want := []string{"README.md", "docs/index.md", "lib", "src/main.go", "src/pkg/x.go"}
	cases := []struct {
		name     string
		truncate map[string]bool
		requests []string
	}{
		{"whole", nil, []string{"root/r"}},
		{"root truncated", map[string]bool{"root": true}, []string{"root/r", "root", "src/r", "docs/r"}},
		{"root and src truncated", map[string]bool{"root": true, "src": true}, []string{"root/r", "root", "src/r", "src", "pkg/r", "docs/r"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeTrees{trees: trees, truncate: c.truncate}
			got, err := TreeFiles(context.Background(), f, "root")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("files %q, want %q", got, want)
			}
			if !slices.Equal(f.requests, c.requests) {
				t.Errorf("requests %q, want %q", f.requests, c.requests)
			}
		})
	}
	if _, err := TreeFiles(context.Background(), &fakeTrees{trees: trees}, "gone"); err == nil {
		t.Error("TreeFiles of a missing tree: no error")
	}
}
