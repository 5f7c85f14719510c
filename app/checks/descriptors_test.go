package checks

import (
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
