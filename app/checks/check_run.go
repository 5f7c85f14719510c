package checks

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/jobs"
)

// routeCheckRun re-runs portico's own check when someone asks; re-runs of
// other apps' checks are not ours.
func routeCheckRun(_ context.Context, d *jobs.Delivery) ([]river.JobArgs, bool, error) {
	if d.Action != "rerequested" {
		return nil, false, nil
	}
	var p struct {
		Installation *installation `json:"installation"`
		Repository   *repository   `json:"repository"`
		CheckRun     struct {
			Name         string    `json:"name"`
			HeadSHA      string    `json:"head_sha"`
			PullRequests []pullRef `json:"pull_requests"`
		} `json:"check_run"`
	}
	if err := decode(d, &p); err != nil {
		return nil, false, err
	}
	if p.CheckRun.Name != CheckName {
		return nil, false, nil
	}
	return argsFor(p.Installation, p.Repository, p.CheckRun.PullRequests, p.CheckRun.HeadSHA)
}
