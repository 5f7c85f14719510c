package githubtest

import (
	"testing"
)

func TestRenameAndDeleteRepo(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	must(t, f.srv.RenameRepo("octo-org", "hello", "hi"))
	if _, err := f.srv.lookupRepo("octo-org", "hello"); err == nil {
		t.Error("the old name still resolves")
	}
	if sha, err := f.srv.Commit("octo-org", "hi", "main", Files{"b.md": Text("b\n")}, "after the rename"); err != nil || sha == "" {
		t.Fatalf("commit under the new name: %v", err)
	}
	f.srv.WaitDeliveries()
	got := f.hooks.find("repository", "renamed")
	if len(got) != 1 {
		t.Fatalf("%d repository.renamed deliveries", len(got))
	}
	repo, _ := got[0].payload["repository"].(map[string]any)
	from := got[0].payload["changes"].(map[string]any)["repository"].(map[string]any)["name"].(map[string]any)["from"]
	if repo["full_name"] != "octo-org/hi" || from != "hello" || got[0].payload["installation"] == nil {
		t.Errorf("renamed payload: repository %v, from %v", repo["full_name"], from)
	}
	must(t, f.srv.DeleteRepo("octo-org", "hi"))
	f.srv.WaitDeliveries()
	if got := f.hooks.find("repository", "deleted"); len(got) != 1 || got[0].payload["repository"].(map[string]any)["id"] != repo["id"] {
		t.Errorf("repository.deleted deliveries: %d", len(got))
	}
	if _, err := f.srv.lookupRepo("octo-org", "hi"); err == nil {
		t.Error("the deleted repository still resolves")
	}
}
