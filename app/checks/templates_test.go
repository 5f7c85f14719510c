package checks

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/checkrun"
)

const prTemplate = `apiVersion: scaffolder.backstage.io/v1beta3
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
        default: group:platform
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
          owner: ${{ parameters.owner }}
`

const prSkeleton = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${{ values.name }}
  description: A service.
  tags: [go]
spec:
  type: service
  lifecycle: experimental
  owner: ${{ values.owner }}
`

// TestCheckRendersTemplates: a pull request that touches a template of
// the head (a skeleton file, its template.yaml, another file it renders)
// is checked by rendering the template with sample values; what would
// come out wrong fails the check at the skeleton's file and line.
func TestCheckRendersTemplates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		changed     map[string]string
		others      map[string]string
		conclusion  checkrun.Conclusion
		annotations []string // path:line rule of the errors
		noteSkipped bool
	}{
		{"a good skeleton is checked, not skipped", map[string]string{"templates/svc/skeleton/catalog-info.yaml": prSkeleton},
			map[string]string{"templates/svc/template.yaml": prTemplate}, checkrun.Success, nil, false},
		{"a skeleton that renders an invalid name", map[string]string{
			"templates/svc/skeleton/catalog-info.yaml": strings.Replace(prSkeleton, "${{ values.name }}", "${{ values.name }}!!", 1)},
			map[string]string{"templates/svc/template.yaml": prTemplate}, checkrun.Failed,
			[]string{"templates/svc/skeleton/catalog-info.yaml:4 backstage/metadata.name"}, false},
		{"a template change breaks an unchanged skeleton", map[string]string{
			"templates/svc/template.yaml": strings.Replace(prTemplate, "default: group:platform", "default: 'group:default/'", 1)},
			map[string]string{"templates/svc/skeleton/catalog-info.yaml": prSkeleton}, checkrun.Failed,
			[]string{"templates/svc/skeleton/catalog-info.yaml:10 backstage/spec.owner"}, false},
		{"a file that does not render", map[string]string{"templates/svc/skeleton/README.md": "# svc\n\n${{ values.name | nosuch }}\n"},
			map[string]string{"templates/svc/template.yaml": prTemplate, "templates/svc/skeleton/catalog-info.yaml": prSkeleton}, checkrun.Failed,
			[]string{"templates/svc/skeleton/README.md:3 template/render"}, false},
		{"a skeleton of no template is skipped", map[string]string{"templates/svc/skeleton/catalog-info.yaml": prSkeleton},
			nil, checkrun.Success, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			repo := &fakeRepo{head: newHead, open: true, files: c.changed, others: c.others}
			api, err := runCheck(t, repo, args(7, newHead))
			if err != nil {
				t.Fatal(err)
			}
			run := api.Runs()[0]
			var got []string
			for _, a := range run.Annotations {
				if a.Level == checkrun.Failure {
					got = append(got, fmt.Sprintf("%s:%d %s", a.Path, a.StartLine, a.Title))
				}
			}
			if run.Conclusion != c.conclusion || !slices.Equal(got, c.annotations) {
				t.Errorf("conclusion %s, errors %v; want %s, %v\n%s", run.Conclusion, got, c.conclusion, c.annotations, run.Summary)
			}
			if skipped := strings.Contains(run.Summary, "skeleton file skipped"); skipped != c.noteSkipped {
				t.Errorf("summary says a skeleton was skipped: %v, want %v\n%s", skipped, c.noteSkipped, run.Summary)
			}
		})
	}
}

// TestCheckWithoutTemplatesReadsNoTree: a change outside templates/
// costs no request for templates.
func TestCheckWithoutTemplatesReadsNoTree(t *testing.T) {
	t.Parallel()
	repo := &fakeRepo{head: newHead, open: true, files: map[string]string{"catalog-info.yaml": brokenDoc}}
	if _, err := runCheck(t, repo, args(7, newHead)); err != nil {
		t.Fatal(err)
	}
	for _, r := range repo.reads {
		if strings.HasPrefix(r, "tree ") {
			t.Errorf("read %s", r)
		}
	}
}

// TestCheckTemplatesReadsBounded: a template folder larger than the
// bound is read up to it, however many files the head holds.
func TestCheckTemplatesReadsBounded(t *testing.T) {
	t.Parallel()
	others := map[string]string{"templates/svc/template.yaml": prTemplate}
	for i := range 2 * maxTemplateFiles {
		others[fmt.Sprintf("templates/svc/skeleton/docs/%04d.md", i)] = "# ${{ values.name }}\n"
	}
	repo := &fakeRepo{head: newHead, open: true, files: map[string]string{"templates/svc/skeleton/catalog-info.yaml": prSkeleton}, others: others}
	if _, err := runCheck(t, repo, args(7, newHead)); err != nil {
		t.Fatal(err)
	}
	reads := 0
	for _, r := range repo.reads {
		if strings.HasPrefix(r, "file templates/") {
			reads++
		}
	}
	// The changed descriptor is read once as a descriptor, once for its template.
	if reads > maxTemplateFiles+1 {
		t.Errorf("%d files read", reads)
	}
}
