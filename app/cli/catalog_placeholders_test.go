package cli

import (
	"fmt"
	"strings"
	"testing"
)

// The central catalog records placeholders resolved from the synced
// commit: Backstage would read a relative one from the central
// repository's catalog/ directory. A URL placeholder stays for Backstage
// to fetch; one that cannot be resolved makes its entity invalid.
func TestCatalogSyncResolvesPlaceholders(t *testing.T) {
	t.Parallel()
	central := t.TempDir() + "/central.git"
	api := "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: %s\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition:\n    %s\n"
	shop := sourceRepo(t, "git@github.com:acme/shop.git", map[string]string{
		"api/catalog-info.yaml":     fmt.Sprintf(api, "shop-api", "$text: ./openapi.yaml"),
		"api/openapi.yaml":          "openapi: 3.0.0\ninfo: {title: shop}\n",
		"remote/catalog-info.yaml":  fmt.Sprintf(api, "remote-api", "$text: https://example.com/openapi.yaml"),
		"missing/catalog-info.yaml": fmt.Sprintf(api, "missing-api", "$text: ./gone.yaml"),
	})
	code, out := runCatalog(t, "--central", central, shop)
	if code != ExitFindings || !strings.Contains(out, "missing-api") || !strings.Contains(out, "[backstage/placeholder]") {
		t.Fatalf("exit %d, want %d with the unresolved placeholder reported:\n%s", code, ExitFindings, out)
	}
	got := gitRun(t, central, "show", "HEAD:catalog/default/api/shop-api.yaml")
	if !strings.Contains(got, "definition: |\n    openapi: 3.0.0\n    info: {title: shop}\n") || strings.Contains(got, "$text") {
		t.Errorf("shop-api.yaml does not hold the resolved definition:\n%s", got)
	}
	remote := gitRun(t, central, "show", "HEAD:catalog/default/api/remote-api.yaml")
	if !strings.Contains(remote, "$text: https://example.com/openapi.yaml") {
		t.Errorf("remote-api.yaml lost its URL placeholder:\n%s", remote)
	}
	if ls := gitRun(t, central, "ls-tree", "-r", "--name-only", "HEAD"); strings.Contains(ls, "missing-api") {
		t.Errorf("an entity whose placeholder does not resolve was recorded:\n%s", ls)
	}
}
