package catalog

import (
	"context"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// component is a valid Component descriptor; extra lines go under spec.
func component(name, owner string) string {
	return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name +
		"\nspec:\n  type: service\n  lifecycle: production\n  owner: " + owner + "\n"
}

// source makes a Source from descriptor files by path.
func source(repo, commit string, files map[string]string) Source {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	src := Source{Repo: repo, URL: "https://github.com/" + repo, Commit: commit}
	for _, p := range paths {
		src.Entities = append(src.Entities, ParseFile(p, []byte(files[p]), 0)...)
	}
	return src
}

func sha(c byte) string { return strings.Repeat(string(c), 40) }

func openTemp(t *testing.T, opts ...Option) (*Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "central.git")
	s, err := Open(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Wait)
	return s, dir
}

func mustSync(t *testing.T, s *Store, src Source) Result {
	t.Helper()
	res, err := s.Sync(context.Background(), src)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	return res
}

// gitCLI runs the git CLI on the central repository: reading it with git
// itself also proves the objects go-git wrote are sound.
func gitCLI(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// subjects lists the commit messages of the branch, newest first.
func subjects(t *testing.T, dir string) []string {
	t.Helper()
	out := strings.TrimSpace(gitCLI(t, dir, "log", "--format=%s", "main"))
	if out == "" {
		return nil
	}
	return strings.Split(out, "\n")
}
