package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// historyCentral records two commits of one source: web depends on cart,
// then cart changes owner and web goes.
func historyCentral(t *testing.T) (central, src string) {
	t.Helper()
	comp := func(n string) string { return strings.ReplaceAll(catalogComponent, "%s", n) }
	src = sourceRepo(t, "https://github.com/acme/shop.git", map[string]string{
		"cart/catalog-info.yaml": comp("cart"),
		"web/catalog-info.yaml":  comp("web") + "  dependsOn: [component:cart]\n",
		"ui/catalog-info.yaml":   comp("ui") + "  subcomponentOf: web\n",
	})
	central = filepath.Join(t.TempDir(), "central.git")
	if code, out := runCatalog(t, "--central", central, src); code != ExitOK {
		t.Fatalf("sync: %d\n%s", code, out)
	}
	commitFiles(t, src, map[string]string{"cart/catalog-info.yaml": strings.Replace(comp("cart"), "team-a", "team-b", 1)})
	if code, out := runCatalog(t, "--central", central, src); code != ExitOK {
		t.Fatalf("sync: %d\n%s", code, out)
	}
	return central, src
}

func TestCatalogGraphLogDiff(t *testing.T) {
	t.Parallel()
	central, src := historyCentral(t)
	code, out := runMain(t, "catalog", "graph", "--central", central, "cart")
	if want := "component:default/cart\n  component:default/web  (dependsOn component:default/cart)\n    component:default/ui  (subcomponentOf component:default/web)\n"; code != ExitOK || out != want {
		t.Errorf("graph text: exit %d\n%s", code, out)
	}
	for format, want := range map[string]string{"mermaid": "graph LR\n", "dot": "digraph blast_radius {"} {
		if code, out := runMain(t, "catalog", "graph", "--central", central, "--format", format, "component:default/cart"); code != ExitOK || !strings.HasPrefix(out, want) {
			t.Errorf("graph %s: exit %d\n%s", format, code, out)
		}
	}
	if code, out := runMain(t, "catalog", "graph", "--central", central, "--format", "png", "cart"); code != ExitUsage {
		t.Errorf("graph png: exit %d\n%s", code, out)
	}

	head := strings.TrimSpace(gitRun(t, src, "rev-parse", "--short=7", "HEAD"))
	code, out = runMain(t, "catalog", "log", "--central", central, "component:cart")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != ExitOK || len(lines) != 2 || !strings.Contains(lines[0], "  ~  sync acme/shop@"+head+": +0 ~1 -0") || !strings.Contains(lines[1], "  +  sync acme/shop@") {
		t.Errorf("log: exit %d\n%s", code, out)
	}

	code, out = runMain(t, "catalog", "diff", "--central", central, "main~1", "main")
	if code != ExitOK || !strings.HasPrefix(out, "~ component:default/cart\n\ndiff --git a/catalog/default/component/cart.yaml") || !strings.Contains(out, "+  owner: team-b") {
		t.Errorf("diff: exit %d\n%s", code, out)
	}
	if code, out = runMain(t, "catalog", "diff", "--central", central, "--name-only", "main~1"); code != ExitOK || out != "~ component:default/cart\n" {
		t.Errorf("diff --name-only: exit %d\n%q", code, out)
	}
	for _, args := range [][]string{{"graph", "cart"}, {"log", "--central", central}, {"diff", "--central", central}, {"diff", "--central", central, "nope"}, {"frobnicate"}} {
		if code, out := runMain(t, append([]string{"catalog"}, args...)...); code != ExitUsage {
			t.Errorf("catalog %q: exit %d\n%s", args, code, out)
		}
	}
}
