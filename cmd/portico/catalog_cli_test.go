package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// catalogCheckout makes a git checkout with origin and files committed.
func catalogCheckout(t *testing.T, origin string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	gitOut(t, dir, "init", "-q", "-b", "main")
	gitOut(t, dir, "remote", "add", "origin", origin)
	for p, content := range files {
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, p), []byte(content), 0o644))
	}
	gitOut(t, dir, "add", "-A")
	gitOut(t, dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "descriptors")
	return dir
}

func comp(name, spec string) string {
	return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name +
		"\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n" + spec
}

// TestCatalogCLIRecordsOnlyWhatIsSafe runs the real binary's catalog
// sync on hostile origins (refused, exit 2) and on a repository whose
// Locations point outside its organisation (not recorded, exit 1, at the
// target's line), then leaves `git fsck --strict` clean.
func TestCatalogCLIRecordsOnlyWhatIsSafe(t *testing.T) {
	t.Parallel()
	central := filepath.Join(t.TempDir(), "central.git")
	for _, origin := range []string{"https://example.com/.git/x.git", "https://example.com/acme/.GIT", "git@example.com:acme/.gitmodules", "https://example.com/%2e%2e/x"} {
		src := catalogCheckout(t, origin, map[string]string{"catalog-info.yaml": comp("svc", "")})
		if _, stderr, code := run(t, "", nil, "catalog", "sync", "--central", central, src); code != 2 || !strings.Contains(stderr, "does not name a repository") {
			t.Errorf("origin %s: exit %d\n%s", origin, code, stderr)
		}
	}
	src := catalogCheckout(t, "https://github.com/acme/web.git", map[string]string{
		"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: outside\nspec:\n  targets:\n" +
			"    - ./svc/catalog-info.yaml\n    - file:///etc/passwd\n    - https://github.com/other-org/x/blob/main/catalog-info.yaml\n",
		"inside.yaml":           "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: inside\nspec:\n  targets: [./svc/catalog-info.yaml, 'https://github.com/acme/api/blob/main/catalog-info.yaml']\n",
		"svc/catalog-info.yaml": comp("svc", ""),
	})
	stdout, stderr, code := run(t, "", nil, "catalog", "sync", "--glob", "inside.yaml", "--central", central, src)
	if code != 1 || !strings.Contains(stdout, "invalid: catalog-info.yaml:8:7 location:default/outside") || !strings.Contains(stdout, "invalid: catalog-info.yaml:9:7 location:default/outside") {
		t.Errorf("sync: exit %d\n%s%s", code, stdout, stderr)
	}
	if got := gitOut(t, central, "ls-tree", "-r", "--name-only", "main", "catalog"); got != "catalog/default/component/svc.yaml\ncatalog/default/location/inside.yaml\n" {
		t.Errorf("recorded:\n%s", got)
	}
	if out, err := exec.Command("git", "-C", central, "fsck", "--strict", "--no-dangling").CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("git fsck --strict: %v\n%s", err, out)
	}
}

// TestCatalogCLIGraphFollowsAPIs runs issue 9's example through the real
// binary: the blast radius of payments-db reaches cart through the API
// payments provides, and cart-worker; an unknown entity exits 1.
func TestCatalogCLIGraphFollowsAPIs(t *testing.T) {
	t.Parallel()
	central := filepath.Join(t.TempDir(), "central.git")
	src := catalogCheckout(t, "https://github.com/acme/shop.git", map[string]string{
		"db.yaml":       "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: payments-db\nspec:\n  type: database\n  owner: team-a\n",
		"api.yaml":      "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: payments-api\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition: x\n",
		"payments.yaml": comp("payments", "  dependsOn: [resource:payments-db]\n  providesApis: [payments-api]\n"),
		"cart.yaml":     comp("cart", "  consumesApis: [payments-api]\n"),
		"worker.yaml":   comp("cart-worker", "  subcomponentOf: cart\n"),
	})
	if _, stderr, code := run(t, "", nil, "catalog", "sync", "--glob", "*.yaml", "--central", central, src); code != 0 {
		t.Fatalf("sync: exit %d\n%s", code, stderr)
	}
	stdout, stderr, code := run(t, "", nil, "catalog", "graph", "--central", central, "resource:payments-db")
	if code != 0 || stderr != "" {
		t.Errorf("graph: exit %d\n%s", code, stderr)
	}
	golden(t, "catalog-graph-payments.text.golden", stdout)

	_, stderr, code = run(t, "", nil, "catalog", "graph", "--central", central, "resource:payments-dbx")
	if code != 1 || stderr != "portico: resource:default/payments-dbx is not in the catalog\n" {
		t.Errorf("graph of an unknown entity: exit %d, stderr %q", code, stderr)
	}
	stdout, stderr, code = run(t, "", nil, "catalog", "log", "--central", central, "ghost")
	if code != 1 || stdout != "" || stderr != "portico: component:default/ghost was never recorded in the catalog\n" {
		t.Errorf("log of an unknown entity: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
