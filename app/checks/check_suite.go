package checks

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/jobs"
)

func routeCheckSuite(_ context.Context, d *jobs.Delivery) ([]river.JobArgs, bool, error) {
	if d.Action != "rerequested" {
		return nil, false, nil
	}
	var p struct {
		Installation *installation `json:"installation"`
		Repository   *repository   `json:"repository"`
		CheckSuite   struct {
			HeadSHA      string    `json:"head_sha"`
			PullRequests []pullRef `json:"pull_requests"`
		} `json:"check_suite"`
	}
	if err := decode(d, &p); err != nil {
		return nil, false, err
	}
	return argsFor(p.Installation, p.Repository, p.CheckSuite.PullRequests, p.CheckSuite.HeadSHA)
}
