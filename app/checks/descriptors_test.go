package checks

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/checkrun"
)

const skeletonDoc = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${{ values.name | dump }}
spec:
  type: service
  lifecycle: experimental
  owner: ${{ values.owner }}
`

// TestCheckSkipsSkeletons: a changed template skeleton is not checked as a
// descriptor, and the summary says it was skipped.
func TestCheckSkipsSkeletons(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		files      map[string]string
		conclusion checkrun.Conclusion
		title      string
	}{
		{"only a skeleton", map[string]string{"templates/svc/skeleton/catalog-info.yaml": skeletonDoc},
			checkrun.Success, "No catalog descriptor changed"},
		{"a skeleton beside a broken descriptor", map[string]string{"catalog-info.yaml": brokenDoc, "templates/svc/skeleton/catalog-info.yaml": skeletonDoc},
			checkrun.Failed, "in 1 descriptor"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			repo := &fakeRepo{head: newHead, open: true, files: c.files}
			api, err := runCheck(t, repo, args(7, newHead))
			if err != nil {
				t.Fatal(err)
			}
			run := api.Runs()[0]
			if run.Conclusion != c.conclusion || !strings.Contains(run.Title, c.title) {
				t.Errorf("conclusion %s, title %q; want %s, %q", run.Conclusion, run.Title, c.conclusion, c.title)
			}
			if !strings.Contains(run.Summary, "1 skeleton file skipped") || !strings.Contains(run.Summary, "`templates/svc/skeleton/catalog-info.yaml`") {
				t.Errorf("summary does not name the skipped skeleton:\n%s", run.Summary)
			}
			for _, a := range run.Annotations {
				if strings.Contains(a.Path, "skeleton") {
					t.Errorf("annotation on a skeleton: %+v", a)
				}
			}
		})
	}
}

// TestCheckResolvesPlaceholdersAtTheHead: placeholders read the head
// commit's files through the same reader as the descriptors; a missing
// file is an annotation at the placeholder's line.
func TestCheckResolvesPlaceholdersAtTheHead(t *testing.T) {
	t.Parallel()
	const api = "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: orders\n  description: Orders.\nspec:\n  type: openapi\n  lifecycle: production\n  owner: group:team-a\n  definition:\n    $%s: %s\n"
	cases := []struct {
		name, kind, target string
		rule               string // of the one error annotation, "" for none
	}{
		{"text of a file at the head", "text", "./openapi.yaml", ""},
		{"yaml of a file: an object", "yaml", "./openapi.yaml", "backstage/spec.definition"},
		{"a missing file", "text", "./nope.yaml", "backstage/placeholder"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			repo := &fakeRepo{head: newHead, open: true, files: map[string]string{
				"svc/catalog-info.yaml": fmt.Sprintf(api, c.kind, c.target),
				"svc/openapi.yaml":      "openapi: 3.0.0\n",
			}}
			api, err := runCheck(t, repo, args(7, newHead))
			if err != nil {
				t.Fatal(err)
			}
			var errs []string
			for _, a := range api.Runs()[0].Annotations {
				if a.Level == "failure" {
					errs = append(errs, fmt.Sprintf("%s@%d", a.Title, a.StartLine))
				}
			}
			want := []string{}
			if c.rule != "" {
				want = []string{c.rule + "@11"}
			}
			if strings.Join(errs, ",") != strings.Join(want, ",") {
				t.Errorf("error annotations %v, want %v", errs, want)
			}
			if !slices.Contains(repo.reads, "file svc/openapi.yaml") && c.target == "./openapi.yaml" {
				t.Errorf("reads %v: the placeholder's file was not read", repo.reads)
			}
		})
	}
}

// TestCheckReadsEachPlaceholderFileOnce: placeholders naming the same file,
// in several documents and files, cost one read of it.
func TestCheckReadsEachPlaceholderFileOnce(t *testing.T) {
	t.Parallel()
	const api = "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: %s, description: d}\nspec: {type: openapi, lifecycle: x, owner: group:a, definition: {$text: /openapi.yaml}}\n"
	repo := &fakeRepo{head: newHead, open: true, files: map[string]string{
		"a/catalog-info.yaml": fmt.Sprintf(api, "a") + "---\n" + fmt.Sprintf(api, "b"),
		"c/catalog-info.yaml": fmt.Sprintf(api, "c") + "---\n" + strings.Replace(fmt.Sprintf(api, "d"), "/openapi.yaml", "/missing.yaml", 1),
		"openapi.yaml":        "openapi: 3.0.0\n",
	}}
	if _, err := runCheck(t, repo, args(7, newHead)); err != nil {
		t.Fatal(err)
	}
	reads := map[string]int{}
	for _, r := range repo.reads {
		reads[r]++
	}
	if reads["file openapi.yaml"] != 1 || reads["file missing.yaml"] != 1 {
		t.Errorf("reads %v, want openapi.yaml and missing.yaml read once each", reads)
	}
}
