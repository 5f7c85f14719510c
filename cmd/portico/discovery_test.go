package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
)

// component is a valid descriptor of one Component.
func component(name string) string {
	return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name +
		"\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
}

// TestServeDiscoversAndRemovesInstallations: an installation's
// repositories are recorded without any push (a fork and an empty
// repository are not); repositories leaving the installation, and then
// the installation itself, take their entities with them, one commit
// each.
func TestServeDiscoversAndRemovesInstallations(t *testing.T) {
	t.Parallel()
	a := &app{t: t, addr: freeAddr(t), dataDir: t.TempDir(), logs: &lockedBuffer{}}
	a.gh = githubtest.New(t)
	var err error
	a.cred, err = a.gh.CreateApp(githubtest.AppOptions{WebhookURL: "http://" + a.addr + "/webhooks", WebhookSecret: "e2e-secret"})
	must(t, err)
	repos := map[string]string{
		"web":  component("web-shop"),
		"api":  component("orders") + "---\n" + component("payments"),
		"docs": component("handbook"),
	}
	for name, doc := range repos {
		must(t, a.gh.CreateRepo("acme", name, "main"))
		_, err := a.gh.Commit("acme", name, "main", githubtest.Files{"catalog-info.yaml": githubtest.Text(doc)}, "describe "+name)
		must(t, err)
	}
	must(t, a.gh.CreateRepo("upstream", "lib", "main"))
	_, err = a.gh.Commit("upstream", "lib", "main", githubtest.Files{"catalog-info.yaml": githubtest.Text(component("lib"))}, "describe lib")
	must(t, err)
	must(t, a.gh.CreateFork("upstream", "lib", "acme"))
	must(t, a.gh.CreateRepo("acme", "empty", "main"))
	a.start()

	a.inst, err = a.gh.CreateInstallation(a.cred.ID, "acme", "web", "api", "docs", "lib", "empty")
	must(t, err)
	for _, name := range []string{"web-shop", "orders", "payments", "handbook"} {
		waitCatalog(a, "catalog/default/component/"+name+".yaml", true)
	}
	a.waitLog(`"repository":"acme/lib","reason":"fork"`)
	a.waitLog(`"msg":"empty repository: nothing to record"`, `"installation":`+strconv.FormatInt(a.inst, 10)+`,"repository":"acme/empty"`)
	if got := catalogFile(a, "catalog/default/component/lib.yaml"); got != "" {
		t.Errorf("the fork's entity was recorded:\n%s", got)
	}
	if got := catalogFile(a, "catalog/default/component/orders.yaml"); !strings.Contains(got, "acme/api") {
		t.Errorf("a discovered entity does not name its source acme/api:\n%s", got)
	}

	must(t, a.gh.RemoveInstallationRepos(a.inst, "api"))
	waitCatalog(a, "catalog/default/component/orders.yaml", false)
	if got := lastCatalogCommit(a); got != "remove acme/api: -2" {
		t.Errorf("removal commit %q, want %q", got, "remove acme/api: -2")
	}
	if catalogFile(a, "catalog/default/component/payments.yaml") != "" || catalogFile(a, "catalog/default/component/web-shop.yaml") == "" {
		t.Error("the removal did not take exactly acme/api's entities")
	}

	before := catalogCommits(a)
	must(t, a.gh.DeleteInstallation(a.inst))
	waitCatalog(a, "catalog/default/component/web-shop.yaml", false)
	if got := lastCatalogCommit(a); got != "remove acme/docs, acme/web: -2" {
		t.Errorf("uninstall commit %q, want %q", got, "remove acme/docs, acme/web: -2")
	}
	if n := catalogCommits(a) - before; n != 1 {
		t.Errorf("the uninstall made %d commits, want 1", n)
	}
}

// lastCatalogCommit is the subject of the central catalog's last commit.
func lastCatalogCommit(a *app) string {
	out, err := exec.Command("git", "-C", filepath.Join(a.dataDir, "catalog.git"), "log", "-1", "--format=%s", "main").Output()
	must(a.t, err)
	return strings.TrimSpace(string(out))
}

// catalogCommits counts the central catalog's commits.
func catalogCommits(a *app) int {
	out, err := exec.Command("git", "-C", filepath.Join(a.dataDir, "catalog.git"), "rev-list", "--count", "main").Output()
	must(a.t, err)
	n, err := strconv.Atoi(strings.TrimSpace(string(out)))
	must(a.t, err)
	return n
}

// waitLog waits until the server has logged a line containing every part.
func (a *app) waitLog(parts ...string) {
	a.t.Helper()
	a.waitUntil(fmt.Sprintf("a logged line with %q", parts), func() bool {
		for _, line := range strings.Split(a.logs.String(), "\n") {
			if containsAll(line, parts) {
				return true
			}
		}
		return false
	})
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
