package main

import (
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
)

const shopPlatform = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: team-shop, description: The shop team.}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: checkout, description: Takes the money., tags: [go]}
spec: {type: service, lifecycle: experimental, owner: team-shop, dependsOn: ["component:default/cart"]}
`

const cartComponent = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: cart, description: Holds what you buy., tags: [go]}
spec: {type: service, lifecycle: experimental, owner: team-shop, system: ghost}
`

// TestServeCheckUsesTheCentralCatalog records a team and a service from
// the default branch, then opens a pull request adding the service that
// one depends on: the check resolves the owner through the catalog, warns
// about the system that exists nowhere, and lists the dependent service in
// its blast radius.
func TestServeCheckUsesTheCentralCatalog(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.start()
	_, err := a.gh.Commit("acme", "web", "main", githubtest.Files{"catalog-info.yaml": githubtest.Text(shopPlatform)}, "the shop")
	must(t, err)
	waitCatalog(a, "catalog/default/component/checkout.yaml", true)

	_, err = a.gh.Commit("acme", "web", "cart", githubtest.Files{"services/cart/catalog-info.yaml": githubtest.Text(cartComponent)}, "the cart")
	must(t, err)
	pr, err := a.gh.OpenPullRequest("acme", "web", "cart", "main", "Add the cart")
	must(t, err)
	run := a.waitCheck(pr.HeadSHA)
	lines := annotationLines(run)
	if run.Conclusion != "neutral" || !strings.Contains(lines, "services/cart/catalog-info.yaml:4:") || !strings.Contains(lines, "catalog/reference") {
		t.Errorf("conclusion %q, annotations:\n%s\nwant a neutral check warning about the ghost system only", run.Conclusion, lines)
	}
	if strings.Contains(run.Summary, "team-shop, which") {
		t.Errorf("the owner recorded in the catalog was reported as unresolved:\n%s", run.Summary)
	}
	if !strings.Contains(run.Summary, "Blast radius") || !strings.Contains(run.Summary, "checkout") {
		t.Errorf("summary has no blast radius naming checkout:\n%s", run.Summary)
	}

	// The ghost system gets recorded; a re-run of the same head has no
	// warning left, and the warning it cannot take back from the first run
	// goes with that run, which a new one supersedes.
	_, err = a.gh.Commit("acme", "web", "main", githubtest.Files{"systems/catalog-info.yaml": githubtest.Text(ghostSystem)}, "the ghost system")
	must(t, err)
	waitCatalog(a, "catalog/default/system/ghost.yaml", true)
	must(t, a.gh.RerequestCheckRun("acme", "web", run.ID))
	rerun := a.waitNewCheck(pr.HeadSHA, run.ID)
	if rerun.Conclusion != "success" || len(rerun.Annotations) != 0 {
		t.Errorf("re-run: conclusion %q, annotations:\n%s\nwant success and none", rerun.Conclusion, annotationLines(rerun))
	}
	// The new run is created first, then the old one superseded: a
	// second write, so wait for it.
	a.waitUntil("the first run to be superseded", func() bool {
		for _, r := range a.gh.CheckRuns("acme", "web", pr.HeadSHA) {
			if r.ID == run.ID {
				return r.Status == "completed" && r.Conclusion == "neutral" && strings.Contains(r.Title, "Superseded")
			}
		}
		return false
	})
}

const ghostSystem = `apiVersion: backstage.io/v1alpha1
kind: System
metadata: {name: ghost, description: Haunts the shop.}
spec: {owner: team-shop}
`

// waitNewCheck waits for a completed check run on sha other than old.
func (a *app) waitNewCheck(sha string, old int64) githubtest.CheckRun {
	a.t.Helper()
	var run githubtest.CheckRun
	a.waitUntil("a new completed check run on "+sha, func() bool {
		for _, r := range a.gh.CheckRuns("acme", "web", sha) {
			if r.Name == "portico / catalog" && r.ID != old && r.Status == "completed" {
				run = r
				return true
			}
		}
		return false
	})
	return run
}
