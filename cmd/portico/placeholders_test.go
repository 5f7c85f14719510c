package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
)

const placeholderAPI = `apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: orders-api
  description: The orders API.
  links: [{url: "https://docs.acme.example/orders", title: Docs}]
spec:
  type: openapi
  lifecycle: experimental
  owner: team-shop
  definition:
    $%s: ./openapi.yaml
`

const skeletonComponent = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${{ values.name }}
spec:
  type: service
  lifecycle: experimental
  owner: ${{ values.owner }}
`

// TestServeChecksResolvePlaceholdersAndSkipSkeletons: a pull request's
// $yaml placeholder is read at its head through the fake GitHub and
// makes spec.definition an object, reported at the placeholder's line;
// a $text one passes; the skeleton beside them is skipped and named.
func TestServeChecksResolvePlaceholdersAndSkipSkeletons(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.start()
	_, err := a.gh.Commit("acme", "web", "feature", githubtest.Files{
		"orders/catalog-info.yaml":                 githubtest.Text(strings.Replace(placeholderAPI, "%s", "yaml", 1)),
		"orders/openapi.yaml":                      githubtest.Text("openapi: 3.0.0\ninfo: {title: orders}\n"),
		"billing/catalog-info.yaml":                githubtest.Text(strings.NewReplacer("%s", "text", "orders-api", "billing-api", "./openapi.yaml", "../orders/openapi.yaml").Replace(placeholderAPI)),
		"templates/svc/skeleton/catalog-info.yaml": githubtest.Text(skeletonComponent),
	}, "describe the APIs")
	must(t, err)
	pr, err := a.gh.OpenPullRequest("acme", "web", "feature", "main", "Describe the APIs")
	must(t, err)
	run := a.waitCheck(pr.HeadSHA)
	lines := annotationLines(run)
	if run.Conclusion != "failure" || !strings.Contains(lines, "orders/catalog-info.yaml:12:5 failure backstage/spec.definition") {
		t.Errorf("conclusion %q, annotations:\n%s\nwant a failure at the $yaml placeholder (12:5)", run.Conclusion, lines)
	}
	if strings.Contains(lines, "billing/") || strings.Contains(lines, "skeleton") {
		t.Errorf("annotations on the $text descriptor or the skeleton:\n%s", lines)
	}
	if !strings.Contains(run.Summary, "1 skeleton file skipped") {
		t.Errorf("summary does not say the skeleton was skipped:\n%s", run.Summary)
	}
}

// TestValidateResolvesPlaceholdersOnDisk runs the binary on a checkout
// whose descriptor names files with placeholders: one inside the
// checkout, one missing, one outside it.
func TestValidateResolvesPlaceholdersOnDisk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"outside.yaml":                   "openapi: 3.0.0\n",
		"repo/.git/HEAD":                 "ref: refs/heads/main\n",
		"repo/apis/openapi.yaml":         "openapi: 3.0.0\n",
		"repo/ok/catalog-info.yaml":      strings.NewReplacer("%s", "text", "./openapi.yaml", "/apis/openapi.yaml").Replace(placeholderAPI),
		"repo/object/catalog-info.yaml":  strings.NewReplacer("%s", "yaml", "./openapi.yaml", "../apis/openapi.yaml").Replace(placeholderAPI),
		"repo/missing/catalog-info.yaml": strings.Replace(placeholderAPI, "%s", "text", 1),
		"repo/escape/catalog-info.yaml":  strings.NewReplacer("%s", "text", "./openapi.yaml", "../../outside.yaml").Replace(placeholderAPI),
	}
	for p, c := range files {
		full := filepath.Join(dir, p)
		must(t, os.MkdirAll(filepath.Dir(full), 0o755))
		must(t, os.WriteFile(full, []byte(c), 0o644))
	}
	out, errOut, code := run(t, "", nil, "validate", "--backstage-only", filepath.Join(dir, "repo"))
	if code != 1 {
		t.Errorf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"escape/catalog-info.yaml:12:5: error backstage/placeholder: placeholder $text names \"../../outside.yaml\", which leads outside the repository",
		"missing/catalog-info.yaml:12:5: error backstage/placeholder: placeholder $text: ./openapi.yaml does not exist (looked for missing/openapi.yaml in the repository)",
		"object/catalog-info.yaml:12:5: error backstage/spec.definition:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ok/catalog-info.yaml") || !strings.Contains(out, "4 files, 4 documents: 3 errors") {
		t.Errorf("want the ok descriptor clean and 3 errors in all:\n%s", out)
	}
}
