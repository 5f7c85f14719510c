package catalog

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestRemove(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	mustSync(t, s, source("acme/one", sha('a'), map[string]string{"catalog-info.yaml": component("a", "t") + "---\n" + component("b", "t")}))
	mustSync(t, s, source("acme/two", sha('b'), map[string]string{"catalog-info.yaml": component("c", "t")}))
	res, err := s.Remove(context.Background(), "acme/one")
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary() != "+0 ~0 -2" || res.Commit == "" {
		t.Fatalf("Remove = %+v", res)
	}
	if got := subjects(t, dir)[0]; got != "remove acme/one: -2" {
		t.Errorf("message = %q", got)
	}
	want := "catalog-info.yaml\ncatalog/default/component/c.yaml\n"
	if got := gitCLI(t, dir, "ls-tree", "-r", "--name-only", "main", "catalog-info.yaml", "catalog"); got != want {
		t.Errorf("files = %q, want %q", got, want)
	}
	res, err = s.Remove(context.Background(), "acme/one")
	if err != nil || res.Commit != "" || !reflect.DeepEqual(res, Result{Repo: "acme/one"}) {
		t.Errorf("second Remove = %+v, %v", res, err)
	}
	if _, err := s.Remove(context.Background(), "../etc"); err == nil {
		t.Error("Remove accepted a hostile repo name")
	}
}

func TestRemoveManyInOneCommit(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	ctx := context.Background()
	for i, r := range []string{"acme/one", "acme/two", "acme/three", "other/four"} {
		mustSync(t, s, source(r, sha(byte('a'+i)), map[string]string{"catalog-info.yaml": component("c"+string(rune('a'+i)), "t")}))
	}
	got, err := s.Sources()
	if want := []string{"acme/one", "acme/three", "acme/two", "other/four"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Sources = %v, %v; want %v", got, err, want)
	}
	before := len(subjects(t, dir))
	res, err := s.Remove(ctx, "acme/two", "acme/one", "acme/empty", "acme/three", "acme/one")
	if err != nil || res.Summary() != "+0 ~0 -3" {
		t.Fatalf("Remove = %+v, %v", res, err)
	}
	subs := subjects(t, dir)
	if len(subs) != before+1 || subs[0] != "remove acme/one, acme/three, acme/two: -3" {
		t.Errorf("commits = %q", subs)
	}
	if got, _ := s.Sources(); !reflect.DeepEqual(got, []string{"other/four"}) {
		t.Errorf("Sources after = %v", got)
	}
	if got := gitCLI(t, dir, "ls-tree", "-r", "--name-only", "main", "catalog"); got != "catalog/default/component/cd.yaml\n" {
		t.Errorf("files = %q", got)
	}
	if _, err := s.Remove(ctx); err == nil {
		t.Error("Remove of nothing succeeded")
	}
}

func TestNamedRepos(t *testing.T) {
	t.Parallel()
	got := namedRepos([]string{"a/1", "a/2", "a/3", "a/4", "a/5", "a/6", "a/7"})
	if want := "a/1, a/2, a/3, a/4, a/5 and 2 more"; got != want {
		t.Errorf("namedRepos = %q, want %q", got, want)
	}
}

// TestRemoveRefusesAnEarlierRead keeps a removed repository out when a
// sync read before the removal lands after it, and lets it back when it is
// read again later.
func TestRemoveRefusesAnEarlierRead(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	ctx := context.Background()
	src := source("acme/one", sha('a'), map[string]string{"catalog-info.yaml": component("a", "t")})
	mustSync(t, s, src)
	src.ReadAt = time.Now() // a job read the repository, then the removal came
	if _, err := s.Remove(ctx, "acme/one"); err != nil {
		t.Fatal(err)
	}
	res, err := s.Sync(ctx, src)
	if !errors.Is(err, ErrRemoved) || res.Commit != "" {
		t.Errorf("stale sync = %+v, %v; want ErrRemoved", res, err)
	}
	if got := gitCLI(t, dir, "ls-tree", "-r", "--name-only", "main", "catalog"); got != "" {
		t.Errorf("entities back after removal: %q", got)
	}
	src.ReadAt = time.Now().Add(time.Millisecond) // added again, read again
	if res := mustSync(t, s, src); res.Summary() != "+1 ~0 -0" {
		t.Errorf("sync after coming back = %+v", res)
	}
	if got := gitCLI(t, dir, "ls-tree", "-r", "--name-only", "main", ".portico"); strings.Contains(got, "removed") {
		t.Errorf("removal record kept after the repository came back: %q", got)
	}
}
