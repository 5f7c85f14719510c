package main

import (
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
)

const outsideLocation = `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: outside
spec:
  targets:
    - ./services/catalog-info.yaml
    - file:///etc/passwd
    - https://github.com/other-org/repo/blob/main/catalog-info.yaml
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: inside
spec:
  targets: [./services/catalog-info.yaml]
`

// TestServeSyncKeepsLocationsInTheOrganisation: the App's sync of a
// default branch records the Location whose targets stay in the
// repository, not the one pointing at a file of Backstage's host and at
// another organisation, which its sync check annotates at those lines.
func TestServeSyncKeepsLocationsInTheOrganisation(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.start()
	sha, err := a.gh.Commit("acme", "web", "main", githubtest.Files{
		"catalog-info.yaml":          githubtest.Text(outsideLocation),
		"services/catalog-info.yaml": githubtest.Text(syncedWeb),
	}, "locations")
	must(t, err)
	run := a.waitSyncCheck(sha)
	lines := annotationLines(run)
	if run.Conclusion != "neutral" || !strings.Contains(lines, "catalog-info.yaml:8:0 warning catalog/location-target") || !strings.Contains(lines, "catalog-info.yaml:9:0 warning catalog/location-target") {
		t.Errorf("sync check %q, annotations:\n%s", run.Conclusion, lines)
	}
	waitCatalog(a, "catalog/default/location/inside.yaml", true)
	if got := catalogFile(a, "catalog/default/location/outside.yaml"); got != "" {
		t.Errorf("the Location outside the organisation was recorded:\n%s", got)
	}
	if root := catalogFile(a, "catalog-info.yaml"); strings.Contains(root, "outside") {
		t.Errorf("the root Location lists it:\n%s", root)
	}
}
