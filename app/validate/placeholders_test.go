package validate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
)

const placeholderAPI = "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: %s\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition:\n    %s\n"

// TestRunResolvesPlaceholdersFromDisk: a run resolves placeholders from
// the checkout around each descriptor, never past its root (the .git
// directory), symbolic links included, and reports a missing file at the
// placeholder's line.
func TestRunResolvesPlaceholdersFromDisk(t *testing.T) {
	t.Parallel()
	api := func(name, placeholder string) string {
		return strings.Replace(strings.Replace(placeholderAPI, "%s", name, 1), "%s", placeholder, 1)
	}
	outer := writeTree(t, map[string]string{
		"secret.txt":                         "outside the checkout\n",
		"repo/.git/HEAD":                     "ref: refs/heads/main\n",
		"repo/apis/openapi.yaml":             "openapi: 3.0.0\n",
		"repo/svc/text/catalog-info.yaml":    api("text", "$text: ../../apis/openapi.yaml"),
		"repo/svc/yaml/catalog-info.yaml":    api("yaml", "$yaml: /apis/openapi.yaml"),
		"repo/svc/missing/catalog-info.yaml": api("missing", "$text: ./openapi.yaml"),
		"repo/svc/escape/catalog-info.yaml":  api("escape", "$text: ../../../secret.txt"),
		"repo/svc/link/catalog-info.yaml":    api("link", "$text: ./secret.txt"),
	})
	if err := os.Symlink(filepath.Join(outer, "secret.txt"), filepath.Join(outer, "repo/svc/link/secret.txt")); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	if _, err := Run(context.Background(), NewChecker(nil, 0).WithTree(DiskTree), []string{filepath.Join(outer, "repo")}, rec, Options{}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // file's directory: the rule of its one finding, "" for none
		"escape":  descriptor.RulePlaceholder,
		"link":    descriptor.RulePlaceholder,
		"missing": descriptor.RulePlaceholder,
		"text":    "",
		"yaml":    "backstage/spec.definition",
	}
	if len(rec.files) != len(want) {
		t.Fatalf("%d files, want %d", len(rec.files), len(want))
	}
	for _, f := range rec.files {
		name := filepath.Base(filepath.Dir(f.Path))
		fs := f.Documents[0].Findings
		rule := ""
		if len(fs) > 0 {
			rule = fs[0].Rule
		}
		if rule != want[name] || len(fs) > 1 || len(fs) == 1 && fs[0].Line != 10 {
			t.Errorf("%s: findings %+v, want one %q at line 10", name, fs, want[name])
		}
	}
}

// TestRepositoryRoot: the tree is the enclosing checkout, or the
// descriptor's directory outside any.
func TestRepositoryRoot(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"repo/.git/HEAD": "x", "repo/a/b/catalog-info.yaml": "", "loose/catalog-info.yaml": ""})
	if got := repositoryRoot(filepath.Join(dir, "repo/a/b")); got != filepath.Join(dir, "repo") {
		t.Errorf("in a checkout: %s", got)
	}
	if repositoryRoot(dir) != dir {
		t.Skip("the temporary directory is inside a Git checkout")
	}
	if got := repositoryRoot(filepath.Join(dir, "loose")); got != filepath.Join(dir, "loose") {
		t.Errorf("outside a checkout: %s", got)
	}
}
