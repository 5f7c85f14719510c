package main

import (
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
)

// TestServeFollowsRenamesAndDeletions renames a repository whose entity
// the catalog holds, then deletes it: the entity follows the new name at
// once, then leaves the catalog.
func TestServeFollowsRenamesAndDeletions(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.start()
	const entity = "catalog/default/component/web-shop.yaml"
	_, err := a.gh.Commit("acme", "web", "main", githubtest.Files{"catalog-info.yaml": githubtest.Text(syncedWeb)}, "describe the shop")
	must(t, err)
	waitCatalog(a, entity, true)

	must(t, a.gh.RenameRepo("acme", "web", "storefront"))
	got := waitCatalogChange(a, entity, func(s string) bool { return strings.Contains(s, "acme/storefront") })
	if strings.Contains(got, "acme/web") {
		t.Errorf("entity still names the old repository:\n%s", got)
	}
	if log := gitOut(t, a.dataDir+"/catalog.git", "log", "-1", "--format=%s", "main"); !strings.Contains(log, "(renamed from acme/web): +0 ~1 -0") {
		t.Errorf("last commit = %q, want the rename recorded as a change", log)
	}

	must(t, a.gh.DeleteRepo("acme", "storefront"))
	waitCatalog(a, entity, false)
	if log := gitOut(t, a.dataDir+"/catalog.git", "log", "-1", "--format=%s", "main"); log != "remove acme/storefront: -1\n" {
		t.Errorf("last commit = %q", log)
	}
}

// waitCatalogChange waits until the catalog file satisfies ok.
func waitCatalogChange(a *app, path string, ok func(string) bool) string {
	a.t.Helper()
	var got string
	for range 1500 {
		if got = catalogFile(a, path); ok(got) {
			return got
		}
		sleep()
	}
	a.t.Fatalf("catalog file %s never changed as expected; it holds:\n%s\nlogs:\n%s", path, got, a.logs.String())
	return ""
}
