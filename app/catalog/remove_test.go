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
