package checks

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/jobs"
	"github.com/portico-dev/portico/app/webhook"
)

// Routes returns the events the pull request check acts on.
func Routes() webhook.Routes {
	return webhook.Routes{
		"pull_request": routePullRequest,
		"check_suite":  routeCheckSuite,
		"check_run":    routeCheckRun,
	}
}

// repository is the part of a payload's repository the check needs.
type repository struct {
	Name  string `json:"name"`
	Owner struct {
		Login string `json:"login"`
	} `json:"owner"`
}

type installation struct {
	ID int64 `json:"id"`
}

// pullRef is a pull request as check_suite and check_run payloads list it.
type pullRef struct {
	Number int `json:"number"`
	Head   struct {
		SHA string `json:"sha"`
	} `json:"head"`
}

var (
	shaPattern  = regexp.MustCompile(`^[0-9a-f]{40}$`)
	namePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}$`)
)

// checkArgs validates what a payload says before it becomes a job.
func checkArgs(inst *installation, repo *repository, number int, sha string) (CheckArgs, error) {
	a := CheckArgs{Number: number, HeadSHA: sha}
	if inst == nil || inst.ID <= 0 || repo == nil {
		return a, fmt.Errorf("payload has no installation or repository")
	}
	a.InstallationID, a.Owner, a.Repo = inst.ID, repo.Owner.Login, repo.Name
	if !namePattern.MatchString(a.Owner) || !namePattern.MatchString(a.Repo) {
		return a, fmt.Errorf("payload has a malformed repository name")
	}
	if !shaPattern.MatchString(sha) || number < 0 {
		return a, fmt.Errorf("payload has a malformed head sha or pull request number")
	}
	return a, nil
}

func decode(d *jobs.Delivery, v any) error {
	if err := json.Unmarshal(d.Payload, v); err != nil {
		return fmt.Errorf("decode %s payload: %w", d.Event, err)
	}
	return nil
}

// argsFor turns a re-run check's pull request list into jobs: one per
// pull request, or one that finds them itself when the list is empty
// (GitHub leaves it empty for forks).
func argsFor(inst *installation, repo *repository, pulls []pullRef, sha string) ([]river.JobArgs, bool, error) {
	if len(pulls) == 0 {
		pulls = []pullRef{{}}
	}
	out := make([]river.JobArgs, 0, len(pulls))
	for _, p := range pulls {
		a, err := checkArgs(inst, repo, p.Number, sha)
		if err != nil {
			return nil, false, err
		}
		a.Rerun = true
		out = append(out, a)
	}
	return out, true, nil
}
