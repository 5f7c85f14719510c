package checks

import (
	"fmt"

	"github.com/riverqueue/river"
)

// CheckName is the name of portico's Check Run.
const CheckName = "portico / catalog"

// maxAttempts bounds retries of one check; River backs off exponentially
// between them, so this spans hours of GitHub trouble.
const maxAttempts = 20

// CheckArgs is the job that checks one pull request head. Number is 0 when
// the event named no pull request (a check re-run on a fork's commit): the
// job then finds the pull requests of the commit itself.
type CheckArgs struct {
	InstallationID int64  `json:"installation_id"`
	Owner          string `json:"owner"`
	Repo           string `json:"repo"`
	Number         int    `json:"number"`
	HeadSHA        string `json:"head_sha"`
}

// Kind implements river.JobArgs.
func (CheckArgs) Kind() string { return "portico.pr_check" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (CheckArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: maxAttempts} }

// SerializationKey runs one check at a time per pull request head.
func (a CheckArgs) SerializationKey() string {
	return fmt.Sprintf("pr:%s/%s@%s", a.Owner, a.Repo, a.HeadSHA)
}
