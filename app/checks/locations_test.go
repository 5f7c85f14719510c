package checks

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/checkrun"
	"github.com/portico-dev/portico/app/checkrun/checkruntest"
	"github.com/portico-dev/portico/app/platform"
)

const locationDoc = `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: everything
spec:
  targets:
    - ./api.yaml
    - file:///etc/passwd
    - https://github.com/other-org/repo/blob/main/catalog-info.yaml
    - https://github.com/acme/repo/blob/main/catalog-info.yaml
`

// TestCheckReportsLocationTargets: the pull request check annotates each
// Location target outside the repository's organisation at its line.
func TestCheckReportsLocationTargets(t *testing.T) {
	t.Parallel()
	repo := &fakeRepo{head: newHead, open: true, files: map[string]string{"catalog/catalog-info.yaml": locationDoc}}
	src, err := platform.Fixed(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	api := &checkruntest.API{}
	r := NewRunner(fakeGitHub{repo: repo, api: api}, src, nil).WithPublishing(checkrun.Config{InProgressAfter: time.Hour}).
		WithLocations("https://github.com", nil)
	if err := r.Work(context.Background(), &river.Job[CheckArgs]{Args: args(7, newHead)}); err != nil {
		t.Fatal(err)
	}
	run := api.Runs()[0]
	var at []string
	for _, a := range run.Annotations {
		if strings.Contains(a.Title, "catalog/location-target") || strings.Contains(a.Message, "catalog/location-target") {
			at = append(at, fmt.Sprintf("%s:%d", a.Path, a.StartLine))
		}
	}
	if got := strings.Join(at, " "); got != "catalog/catalog-info.yaml:8 catalog/catalog-info.yaml:9" || run.Conclusion != checkrun.Failed {
		t.Errorf("conclusion %s, location annotations at %q; annotations:\n%+v", run.Conclusion, got, run.Annotations)
	}
}
