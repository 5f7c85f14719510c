package checks

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/jobs"
)

// pullRequestActions are the pull_request actions that change what the
// check sees.
var pullRequestActions = map[string]bool{"opened": true, "synchronize": true, "reopened": true, "ready_for_review": true}

func routePullRequest(_ context.Context, d *jobs.Delivery) ([]river.JobArgs, bool, error) {
	if !pullRequestActions[d.Action] {
		return nil, false, nil
	}
	var p struct {
		Number       int           `json:"number"`
		Installation *installation `json:"installation"`
		Repository   *repository   `json:"repository"`
		PullRequest  struct {
			Head struct {
				SHA string `json:"sha"`
			} `json:"head"`
		} `json:"pull_request"`
	}
	if err := decode(d, &p); err != nil {
		return nil, false, err
	}
	a, err := checkArgs(p.Installation, p.Repository, p.Number, p.PullRequest.Head.SHA)
	if err != nil {
		return nil, false, err
	}
	return []river.JobArgs{a}, true, nil
}
