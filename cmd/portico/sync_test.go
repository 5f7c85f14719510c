package main

import (
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
)

const syncedWeb = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web-shop
  description: The shop front.
spec:
  type: website
  lifecycle: experimental
  owner: team-shop
`

// catalogFile reads a file of the central catalog's main branch, "" when
// it is not there.
func catalogFile(a *app, path string) string {
	out, err := exec.Command("git", "-C", filepath.Join(a.dataDir, "catalog.git"), "show", "main:"+path).Output()
	if err != nil {
		return ""
	}
	return string(out)
}

// waitCatalog waits until the catalog file's presence is want.
func waitCatalog(a *app, path string, want bool) string {
	a.t.Helper()
	var got string
	a.waitUntil(fmt.Sprintf("catalog file %s present=%v", path, want), func() bool {
		got = catalogFile(a, path)
		return (got != "") == want
	})
	return got
}

func TestServeSyncsDefaultBranch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.start()
	const entity = "catalog/default/component/web-shop.yaml"
	sha, err := a.gh.Commit("acme", "web", "main", githubtest.Files{"catalog-info.yaml": githubtest.Text(syncedWeb)}, "describe the shop")
	must(t, err)
	got := waitCatalog(a, entity, true)
	if !strings.Contains(got, sha) || !strings.Contains(got, "acme/web") {
		t.Errorf("recorded entity does not name its source acme/web@%s:\n%s", sha, got)
	}

	// A push elsewhere is not recorded.
	_, err = a.gh.Commit("acme", "web", "feature", githubtest.Files{"catalog-info.yaml": nil}, "drop it on a branch")
	must(t, err)

	// An invalid descriptor is not recorded: the previous version stays
	// and a neutral check run on the commit says why.
	broken := strings.Replace(syncedWeb, "  lifecycle: experimental\n", "", 1)
	broken = strings.Replace(broken, "The shop front.", "The new shop front.", 1)
	bad, err := a.gh.Commit("acme", "web", "main", githubtest.Files{
		"catalog-info.yaml": githubtest.Text(broken + "---\n" + brokenWeb),
	}, "break the descriptor")
	must(t, err)
	run := a.waitSyncCheck(bad)
	if run.Conclusion != "neutral" || !strings.Contains(run.Summary, "`catalog-info.yaml` `component:default/web-shop`") || len(run.Annotations) == 0 {
		t.Errorf("check run: conclusion %q, %d annotations, summary:\n%s", run.Conclusion, len(run.Annotations), run.Summary)
	}
	if m := metrics(t, a); !strings.Contains(m, `portico_catalog_syncs_total{outcome="refused"} 1`) {
		t.Errorf("the refused sync is not counted:\n%s", grepLines(m, "portico_catalog_syncs_total"))
	}
	if got := catalogFile(a, entity); !strings.Contains(got, sha) || strings.Contains(got, "The new shop front.") {
		t.Errorf("the previous version did not stay:\n%s", got)
	}
	if got := catalogFile(a, "catalog/default/component/web shop.yaml"); got != "" {
		t.Errorf("invalid entity recorded:\n%s", got)
	}

	// Removing the descriptor deletes the entity.
	_, err = a.gh.Commit("acme", "web", "main", githubtest.Files{"catalog-info.yaml": nil}, "drop the descriptor")
	must(t, err)
	waitCatalog(a, entity, false)
}

// waitSyncCheck waits for the catalog sync's check run on sha.
func (a *app) waitSyncCheck(sha string) githubtest.CheckRun {
	a.t.Helper()
	var run githubtest.CheckRun
	a.waitUntil("the catalog sync check run on "+sha, func() bool {
		for _, r := range a.gh.CheckRuns("acme", "web", sha) {
			if r.Name == "portico / catalog sync" && r.Status == "completed" {
				run = r
				return true
			}
		}
		return false
	})
	return run
}

// metrics returns the server's Prometheus exposition.
func metrics(t *testing.T, a *app) string {
	t.Helper()
	resp, err := http.Get("http://" + a.addr + "/metrics")
	must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func grepLines(s, substr string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
