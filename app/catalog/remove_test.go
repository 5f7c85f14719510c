package catalog

import (
	"context"
	"reflect"
	"testing"
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
	if len(subs) != before+1 || subs[0] != "remove acme/empty, acme/one, acme/three, acme/two: -3" {
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
