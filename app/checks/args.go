package checks

import (
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/portico-dev/portico/app/jobs"
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
	// Rerun marks a check someone asked for again (check_suite or check_run
	// rerequested): it is never merged into an automatic check of the same
	// head that is already under way.
	Rerun bool `json:"rerun,omitempty"`
}

// Kind implements river.JobArgs.
func (CheckArgs) Kind() string { return "portico.pr_check" }

// InsertOpts implements river.JobArgsWithInsertOpts. A check of a head
// that is already waiting or running absorbs new deliveries for that head
// (GitHub sends several per push, and a burst would otherwise spend the
// installation's rate limit on identical checks): they would read the same
// commit with the same policies. Completed checks absorb nothing.
func (CheckArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: maxAttempts, Queue: jobs.QueueInteractive, UniqueOpts: river.UniqueOpts{
		ByArgs: true,
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
			rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled},
	}}
}

// SerializationKey runs one check at a time per pull request head.
func (a CheckArgs) SerializationKey() string {
	return fmt.Sprintf("pr:%s/%s@%s", a.Owner, a.Repo, a.HeadSHA)
}
