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
}
