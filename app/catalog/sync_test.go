package catalog

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSyncAddChangeDeleteNoop(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	res := mustSync(t, s, source("acme/shop", sha('a'), map[string]string{
		"catalog-info.yaml": component("cart", "team-a") + "---\n" + component("pay", "team-a"),
	}))
	want := []string{"catalog/default/component/cart.yaml", "catalog/default/component/pay.yaml"}
	if !reflect.DeepEqual(res.Added, want) || res.Commit == "" || res.Failed() {
		t.Fatalf("first sync = %+v", res)
	}

	res = mustSync(t, s, source("acme/shop", sha('b'), map[string]string{
		"catalog-info.yaml": component("cart", "team-a") + "---\n" + component("pay", "team-a"),
	}))
	if res.Commit != "" || res.Summary() != "+0 ~0 -0" {
		t.Fatalf("unchanged sync committed: %+v", res)
	}

	res = mustSync(t, s, source("acme/shop", sha('c'), map[string]string{
		"catalog-info.yaml": component("cart", "team-b"),
		"svc/ship.yaml":     component("ship", "team-a"),
	}))
	if res.Summary() != "+1 ~1 -1" || res.Deleted[0] != want[1] || res.Changed[0] != want[0] {
		t.Fatalf("third sync = %+v", res)
	}
	wantLog := []string{"sync acme/shop@ccccccc: +1 ~1 -1", "sync acme/shop@aaaaaaa: +2 ~0 -0"}
	if got := subjects(t, dir); !reflect.DeepEqual(got, wantLog) {
		t.Errorf("log = %q, want %q", got, wantLog)
	}
	cart := gitCLI(t, dir, "show", "main:catalog/default/component/cart.yaml")
	for _, w := range []string{"owner: team-b", "portico.dev/source-commit: " + sha('c'),
		"backstage.io/managed-by-location: url:https://github.com/acme/shop/blob/" + sha('c') + "/catalog-info.yaml"} {
		if !strings.Contains(cart, w) {
			t.Errorf("cart.yaml lacks %q:\n%s", w, cart)
		}
	}
	if files := gitCLI(t, dir, "ls-tree", "-r", "--name-only", "main", "catalog"); strings.Contains(files, "pay.yaml") {
		t.Errorf("pay.yaml not deleted:\n%s", files)
	}
	gitCLI(t, dir, "fsck", "--strict")
}

func TestSyncUnchangedEntityKeepsItsCommit(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	mustSync(t, s, source("acme/shop", sha('a'), map[string]string{"a.yaml": component("a", "t"), "b.yaml": component("b", "t")}))
	mustSync(t, s, source("acme/shop", sha('b'), map[string]string{"a.yaml": component("a", "u"), "b.yaml": component("b", "t")}))
	if b := gitCLI(t, dir, "show", "main:catalog/default/component/b.yaml"); !strings.Contains(b, "source-commit: "+sha('a')) {
		t.Errorf("unchanged entity rewritten:\n%s", b)
	}
}

func TestSyncConflict(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	mustSync(t, s, source("acme/one", sha('a'), map[string]string{"catalog-info.yaml": component("shared", "team-a")}))
	res := mustSync(t, s, source("acme/two", sha('b'), map[string]string{
		"catalog-info.yaml": component("shared", "team-b") + "---\n" + component("own", "team-b"),
	}))
	want := []Conflict{{Entity: "component:default/shared", SourcePath: "catalog-info.yaml", Owner: "acme/one"}}
	if !reflect.DeepEqual(res.Conflicts, want) || res.Summary() != "+1 ~0 -0" || !res.Failed() {
		t.Fatalf("sync = %+v, want conflict %+v", res, want)
	}
	if got := gitCLI(t, dir, "show", "main:catalog/default/component/shared.yaml"); !strings.Contains(got, "owner: team-a") {
		t.Errorf("conflicting entity overwritten:\n%s", got)
	}
	// The same entity twice in one source: the first file wins.
	res = mustSync(t, s, source("acme/three", sha('c'), map[string]string{"a.yaml": component("dup", "t"), "b.yaml": component("dup", "u")}))
	if len(res.Conflicts) != 1 || res.Conflicts[0].SourcePath != "b.yaml" || len(res.Added) != 1 {
		t.Errorf("duplicate in one source = %+v", res)
	}
}

func TestSyncInvalidKeepsPrevious(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	mustSync(t, s, source("acme/shop", sha('a'), map[string]string{
		"a.yaml": component("a", "team-a"),
		"b.yaml": component("b", "team-a") + "---\n" + component("c", "team-a"),
	}))
	tests := []struct {
		name, file, content string
	}{
		{"missing owner", "a.yaml", strings.Replace(component("a", "team-b"), "  owner: team-b\n", "", 1)},
		{"syntax error", "b.yaml", "apiVersion: [\n"},
		{"too large", "b.yaml", strings.Repeat("#", 2<<20)},
	}
	for _, tt := range tests {
		files := map[string]string{"a.yaml": component("a", "team-a"), "b.yaml": component("b", "team-a") + "---\n" + component("c", "team-a")}
		files[tt.file] = tt.content
		res := mustSync(t, s, source("acme/shop", sha('b'), files))
		if res.Commit != "" || len(res.Invalid) != 1 || len(res.Invalid[0].Findings) == 0 {
			t.Errorf("%s: sync = %+v", tt.name, res)
		}
	}
	if got := subjects(t, dir); len(got) != 1 {
		t.Errorf("invalid syncs committed: %q", got)
	}
	if a := gitCLI(t, dir, "show", "main:catalog/default/component/a.yaml"); !strings.Contains(a, "owner: team-a") {
		t.Errorf("previous version lost:\n%s", a)
	}
}

func TestSyncRefusesUnstorableName(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	res := mustSync(t, s, source("acme/shop", sha('a'), map[string]string{"x.yaml": component("a..b", "t")}))
	if res.Commit != "" || len(res.Invalid) != 1 || res.Invalid[0].Findings[0].Rule != RuleStorable {
		t.Errorf("sync = %+v", res)
	}
	for _, repo := range []string{"../x", "acme", "acme/shop/x"} {
		if _, err := s.Sync(context.Background(), Source{Repo: repo, Commit: sha('a')}); err == nil {
			t.Errorf("Sync accepted repo %q", repo)
		}
	}
	for _, commit := range []string{"", "abc", sha('g'), sha('a') + "/../x"} {
		if _, err := s.Sync(context.Background(), Source{Repo: "acme/shop", Commit: commit}); err == nil {
			t.Errorf("Sync accepted commit %q", commit)
		}
	}
}

func TestReopen(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	mustSync(t, s, source("acme/shop", sha('a'), map[string]string{"a.yaml": component("a", "t")}))
	s2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	res := mustSync(t, s2, source("acme/shop", sha('b'), map[string]string{"b.yaml": component("b", "t")}))
	if res.Summary() != "+1 ~0 -1" {
		t.Errorf("sync after reopen = %+v", res)
	}
}

func TestOpenRefusesANonRepository(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err == nil {
		t.Error("Open turned a non-empty directory into a repository")
	}
	if _, err := Open(t.TempDir()); err != nil {
		t.Errorf("Open on an empty directory: %v", err)
	}
}

func TestSyncLargeWritesOnePack(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	files := map[string]string{}
	for i := range packThreshold + 10 {
		files[fmt.Sprintf("svc/%d.yaml", i)] = component(fmt.Sprintf("svc-%d", i), "t")
	}
	if res := mustSync(t, s, source("acme/big", sha('a'), files)); len(res.Added) != len(files) {
		t.Fatalf("added %d, want %d", len(res.Added), len(files))
	}
	packs, _ := filepath.Glob(filepath.Join(dir, "objects", "pack", "*.pack"))
	if len(packs) != 1 {
		t.Errorf("packs = %q, want one", packs)
	}
	files["svc/0.yaml"] = component("svc-0", "u")
	if res := mustSync(t, s, source("acme/big", sha('b'), files)); res.Summary() != "+0 ~1 -0" {
		t.Errorf("change after a packed sync = %+v", res)
	}
	gitCLI(t, dir, "fsck", "--strict")
	if got := gitCLI(t, dir, "show", "main:catalog/default/component/svc-7.yaml"); !strings.Contains(got, "name: svc-7") {
		t.Errorf("svc-7.yaml =\n%s", got)
	}
}

func TestSyncConcurrentSources(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	const n = 10
	errs := make(chan error, n)
	for i := range n {
		go func() {
			repo := fmt.Sprintf("acme/r%d", i)
			_, err := s.Sync(context.Background(), source(repo, sha('a'), map[string]string{"c.yaml": component(fmt.Sprintf("c%d", i), "t")}))
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if got := len(subjects(t, dir)); got != n {
		t.Errorf("%d commits, want %d", got, n)
	}
	if got := strings.Count(gitCLI(t, dir, "show", "main:catalog-info.yaml"), "./catalog/"); got != n {
		t.Errorf("Location lists %d entities, want %d", got, n)
	}
}

// TestSyncFollowsARename records a repository, then the same repository
// (same GitHub id) under a new name: its entities move to the new name,
// where another repository declaring them is still a conflict.
func TestSyncFollowsARename(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	old := source("acme/old", sha('a'), map[string]string{"catalog-info.yaml": component("a", "t") + "---\n" + component("gone", "t")})
	old.RepoID = 42
	mustSync(t, s, old)
	renamed := source("acme/new", sha('b'), map[string]string{"catalog-info.yaml": component("a", "t") + "---\n" + component("b", "t")})
	renamed.RepoID = 42
	res := mustSync(t, s, renamed)
	if res.Failed() || res.Summary() != "+1 ~1 -1" {
		t.Fatalf("sync after the rename = %+v", res)
	}
	if got := subjects(t, dir)[0]; got != "sync acme/new@bbbbbbb (renamed from acme/old): +1 ~1 -1" {
		t.Errorf("message = %q", got)
	}
	if got, _ := s.Sources(); !reflect.DeepEqual(got, []string{"acme/new"}) {
		t.Errorf("sources = %v, want the new name only", got)
	}
	if got := gitCLI(t, dir, "show", "main:catalog/default/component/a.yaml"); !strings.Contains(got, "acme/new") || strings.Contains(got, "acme/old") {
		t.Errorf("entity does not name its new source:\n%s", got)
	}
	other := source("acme/fork", sha('c'), map[string]string{"catalog-info.yaml": component("a", "t")})
	other.RepoID = 43
	if res := mustSync(t, s, other); len(res.Conflicts) != 1 || res.Conflicts[0].Owner != "acme/new" {
		t.Errorf("another repository's claim = %+v, want a conflict with acme/new", res)
	}
}
