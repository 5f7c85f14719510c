package validate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/report"
)

const skeletonTemplate = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: svc
  annotations:
    portico.dev/template-version: 1.0.0
spec:
  owner: group:platform
  type: service
  parameters:
    required: [name]
    properties:
      name:
        type: string
        pattern: '^[a-z][a-z0-9-]*$'
      owner:
        type: string
        ui:field: OwnerPicker
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
          owner: ${{ parameters.owner }}
`

const skeletonDescriptor = `# the service's entry
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${{ values.name }}
  description: a service
spec:
  type: service
  lifecycle: experimental
  owner: ${{ values.owner }}
`

// findingsOf lists a file's findings as "line rule" strings.
func findingsOf(f *report.File) []string {
	var out []string
	for _, d := range f.Documents {
		for _, fd := range d.Findings {
			if fd.Severity == descriptor.SeverityError {
				out = append(out, fmt.Sprintf("%d %s", fd.Line, fd.Rule))
			}
		}
	}
	return out
}

// runTree validates dir as portico validate does and returns the files
// reported by path (relative to dir) and the run's result.
func runTree(t *testing.T, dir string) (map[string]*report.File, Result) {
	t.Helper()
	rec := &recorder{}
	res, err := Run(context.Background(), NewChecker(nil, 0), []string{dir}, rec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*report.File{}
	for _, f := range rec.files {
		rel, err := filepath.Rel(dir, f.Path)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.ToSlash(rel)] = f
	}
	return out, res
}

// TestRunChecksSkeletonsByRendering: a skeleton descriptor of a template
// is rendered with sample values and checked; what its render gets wrong
// is reported at the skeleton's file and line, and a good skeleton
// passes instead of being skipped.
func TestRunChecksSkeletonsByRendering(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		files    map[string]string
		want     map[string][]string // file -> "line rule" of its errors
		skeleton int                 // files still skipped as skeletons
	}{
		{"good template", map[string]string{
			"templates/svc/template.yaml":              skeletonTemplate,
			"templates/svc/skeleton/catalog-info.yaml": skeletonDescriptor,
		}, map[string][]string{"templates/svc/skeleton/catalog-info.yaml": nil}, 0},
		{"invalid name rendered", map[string]string{
			"templates/svc/template.yaml":              skeletonTemplate,
			"templates/svc/skeleton/catalog-info.yaml": strings.Replace(skeletonDescriptor, "${{ values.name }}", "${{ values.name }}!!", 1),
		}, map[string][]string{"templates/svc/skeleton/catalog-info.yaml": {"5 backstage/metadata.name"}}, 0},
		{"lines shifted by a block", map[string]string{
			"templates/svc/template.yaml": skeletonTemplate,
			"templates/svc/skeleton/catalog-info.yaml": strings.Replace(strings.Replace(skeletonDescriptor, "  description: a service\n",
				"{%- if values.owner %}\n  description: a service\n{%- endif %}\n", 1), "experimental", "${{ values.nothing }}", 1),
		}, map[string][]string{"templates/svc/skeleton/catalog-info.yaml": {"11 backstage/spec.lifecycle"}}, 0},
		{"render failure in the skeleton descriptor", map[string]string{
			"templates/svc/template.yaml":              skeletonTemplate,
			"templates/svc/skeleton/catalog-info.yaml": skeletonDescriptor + "  system: ${{ values.name | nosuch }}\n",
		}, map[string][]string{"templates/svc/skeleton/catalog-info.yaml": {"11 template/render"}}, 0},
		{"render failure in a file not walked", map[string]string{
			"templates/svc/template.yaml":              skeletonTemplate,
			"templates/svc/skeleton/catalog-info.yaml": skeletonDescriptor,
			"templates/svc/skeleton/README.md":         "# ${{ values.name }}\n\n${{ values.name | nosuch }}\n",
		}, map[string][]string{"templates/svc/skeleton/README.md": {"3 template/render"}}, 1},
		{"a lone template folder", map[string]string{
			"svc/template.yaml":              skeletonTemplate,
			"svc/skeleton/catalog-info.yaml": strings.Replace(skeletonDescriptor, "kind: Component", "kind: Component\nspec: twice", 1),
		}, map[string][]string{"svc/skeleton/catalog-info.yaml": {"8 yaml/duplicate-key"}}, 0},
		{"a skeleton of no template", map[string]string{
			"elsewhere/catalog-info.yaml": skeletonDescriptor,
		}, map[string][]string{}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, c.files)
			got, res := runTree(t, dir)
			if len(got) != len(c.want) || res.Skeletons != c.skeleton {
				t.Errorf("reported %d files (want %d), skipped %d skeletons (want %d)", len(got), len(c.want), res.Skeletons, c.skeleton)
			}
			for p, want := range c.want {
				f := got[p]
				if f == nil {
					t.Errorf("%s not reported; got %v", p, got)
					continue
				}
				if g := findingsOf(f); strings.Join(g, ",") != strings.Join(want, ",") {
					t.Errorf("%s: errors %v, want %v (%+v)", p, g, want, f.Documents)
				}
			}
		})
	}
}

// TestRunSkeletonsKeepNonTemplateTrees: a tree without templates is
// checked as before, skeleton files skipped and counted.
func TestRunSkeletonsKeepNonTemplateTrees(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"a/catalog-info.yaml": entity("a"), "b/catalog-info.yaml": skeletonDescriptor})
	got, res := runTree(t, dir)
	if len(got) != 1 || got["a/catalog-info.yaml"] == nil || res.Skeletons != 1 {
		t.Errorf("files %v, skeletons %d", got, res.Skeletons)
	}
}

// TestRunSkeletonShownPaths: findings of a skeleton and of a failure
// elsewhere in its template are shown as the run's paths show files,
// relative when the argument was.
func TestRunSkeletonShownPaths(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"p/templates/svc/template.yaml":              strings.Replace(skeletonTemplate, "./skeleton", "./skeleton\n        targetPath: ${{ parameters.name | nosuch }}", 1),
		"p/templates/svc/skeleton/catalog-info.yaml": skeletonDescriptor,
	})
	t.Chdir(dir)
	rec := &recorder{}
	if _, err := Run(context.Background(), NewChecker(nil, 0), []string{"p"}, rec, Options{}); err != nil {
		t.Fatal(err)
	}
	if len(rec.files) != 1 || rec.files[0].Path != "p/templates/svc/template.yaml" || findingsOf(rec.files[0])[0] != "20 template/render" {
		for _, f := range rec.files {
			t.Errorf("%s: %v", f.Path, f.Documents)
		}
	}
}

// TestRunChecksBackstageSamples: the Backstage-format sample templates
// of testdata/templates/samples (given the version portico needs to load
// a template) all render with sample values, and their seven skeleton
// descriptors are checked. The one error is real: features-copy's tags
// loop renders `tags:` with nothing under it when no tags are given,
// which its schema allows.
func TestRunChecksBackstageSamples(t *testing.T) {
	t.Parallel()
	const samples = "../../testdata/templates/samples"
	files := map[string]string{}
	err := filepath.WalkDir(samples, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(samples, p)
		text := string(data)
		if filepath.Base(p) == "template.yaml" { // none has metadata.annotations

			text = strings.Replace(text, "\nmetadata:\n", "\nmetadata:\n  annotations: {portico.dev/template-version: 1.0.0}\n", 1)
		}
		files["templates/"+filepath.ToSlash(rel)] = text
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := writeTree(t, files)
	got, res := runTree(t, dir)
	var errs []string
	for p, f := range got {
		for _, e := range findingsOf(f) {
			errs = append(errs, p+":"+e)
		}
	}
	want := []string{"templates/features-copy/skeleton/catalog-info.yaml:9 backstage/metadata.tags"}
	if len(got) != 7 || res.Skeletons != 0 || strings.Join(errs, ",") != strings.Join(want, ",") {
		t.Errorf("%d files, %d skipped, errors %v; want 7, 0, %v", len(got), res.Skeletons, errs, want)
	}
}
