package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const catalogComponent = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: %s\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"

// gitRun runs the git CLI in dir with a fixed identity.
func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// sourceRepo makes a checkout with origin set and files committed.
func sourceRepo(t *testing.T, origin string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q")
	gitRun(t, dir, "remote", "add", "origin", origin)
	commitFiles(t, dir, files)
	return dir
}

func commitFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitRun(t, dir, "add", "-A")
	gitRun(t, dir, "commit", "-q", "-m", "descriptors")
}

func runCatalog(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), append([]string{"catalog", "sync"}, args...), IO{Out: &out, Err: &errb, Getenv: func(string) string { return "" }})
	return code, out.String() + errb.String()
}

func TestCatalogSync(t *testing.T) {
	t.Parallel()
	central := filepath.Join(t.TempDir(), "central.git")
	shop := sourceRepo(t, "git@github.com:acme/shop.git", map[string]string{
		"catalog-info.yaml":               strings.ReplaceAll(catalogComponent, "%s", "shop"),
		"services/cart/catalog-info.yaml": strings.ReplaceAll(catalogComponent, "%s", "cart"),
		"README.md":                       "not a descriptor",
	})
	head := strings.TrimSpace(gitRun(t, shop, "rev-parse", "HEAD"))
	// Uncommitted changes are not the source's state: they are not read.
	if err := os.WriteFile(filepath.Join(shop, "catalog-info.yaml"), []byte("kind: [broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runCatalog(t, "--central", central, shop)
	if code != ExitOK || !strings.Contains(out, "acme/shop@"+head[:7]+": committed") || !strings.Contains(out, "(+2 ~0 -0, 2 scores)") {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
	log := gitRun(t, central, "log", "--oneline")
	if !strings.Contains(log, "sync acme/shop@"+head[:7]+": +2 ~0 -0, 2 scores") {
		t.Errorf("central log:\n%s", log)
	}
	cart := gitRun(t, central, "show", "HEAD:catalog/default/component/cart.yaml")
	wantLoc := "backstage.io/managed-by-location: url:https://github.com/acme/shop/blob/" + head + "/services/cart/catalog-info.yaml"
	if !strings.Contains(cart, wantLoc) {
		t.Errorf("cart.yaml lacks %q:\n%s", wantLoc, cart)
	}

	code, out = runCatalog(t, "--central", central, shop)
	if code != ExitOK || !strings.Contains(out, "no change") {
		t.Errorf("second sync: exit %d, output:\n%s", code, out)
	}
}

func TestCatalogSyncConflictAndInvalid(t *testing.T) {
	t.Parallel()
	central := filepath.Join(t.TempDir(), "central.git")
	one := sourceRepo(t, "https://github.com/acme/one.git", map[string]string{"catalog-info.yaml": strings.ReplaceAll(catalogComponent, "%s", "shared")})
	two := sourceRepo(t, "https://github.com/acme/two.git", map[string]string{
		"catalog-info.yaml":     strings.ReplaceAll(catalogComponent, "%s", "shared"),
		"bad/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: bad\nspec:\n  type: service\n",
	})
	code, out := runCatalog(t, "--central", central, one, two)
	if code != ExitFindings {
		t.Errorf("exit %d, want %d", code, ExitFindings)
	}
	for _, w := range []string{
		"acme/one@", "acme/two@", "no change",
		"conflict: component:default/shared in catalog-info.yaml is already recorded from acme/one",
		"invalid: bad/catalog-info.yaml:",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if log := strings.TrimSpace(gitRun(t, central, "log", "--format=%s")); log != "sync acme/one@"+strings.TrimSpace(gitRun(t, one, "rev-parse", "--short=7", "HEAD"))+": +1 ~0 -0, 1 score" {
		t.Errorf("central log = %q", log)
	}
}

func TestCatalogSyncUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{}, {"--central", "x"}, {"src"}} {
		if code, out := runCatalog(t, args...); code != ExitUsage {
			t.Errorf("catalog sync %q: exit %d, output:\n%s", args, code, out)
		}
	}
	if code, _ := runCatalog(t, "--central", filepath.Join(t.TempDir(), "c.git"), t.TempDir()); code != ExitUsage {
		t.Errorf("a directory that is not a git checkout: exit %d", code)
	}
}
