package upgrade

import (
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Queue is the River queue template upgrades run on, with its own
// workers (templates.upgrades.concurrency): a fan-out to a thousand
// repositories never holds a worker that a pull request check or a
// catalog sync is waiting for.
const Queue = "template_upgrades"

// River priorities on Queue: a repository that a push just synced comes
// before a fan-out's thousands.
const (
	syncedPriority = 3
	fanOutPriority = 4
)

// maxAttempts bounds retries of one repository's upgrade; River backs
// off exponentially between them.
const maxAttempts = 12

// waiting are the states in which an equal job absorbs a new one. A
// finished job absorbs nothing: the owner who fixes a missing parameter
// gets the upgrade on the next trigger.
var waiting = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
	rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}

// Args is the job that upgrades one repository to the newest version of
// one template: it reads the repository's default branch tip, plans the
// upgrade and publishes it as the repository's one upgrade pull request.
type Args struct {
	InstallationID int64  `json:"installation_id" river:"unique"`
	Owner          string `json:"owner" river:"unique"`
	Repo           string `json:"repo" river:"unique"`
	Template       string `json:"template" river:"unique"`
	// Version is the template's version that triggered the job; the job
	// upgrades to whatever the platform's default branch holds when it
	// runs, so a later bump supersedes an earlier one.
	Version string `json:"version" river:"unique"`
	// Synced marks a job queued by a catalog sync rather than a fan-out.
	Synced bool `json:"synced,omitempty"`
}

// Kind implements river.JobArgs.
func (Args) Kind() string { return "portico.template_upgrade" }

// InsertOpts implements river.JobArgsWithInsertOpts: one waiting job per
// repository, template and version.
func (a Args) InsertOpts() river.InsertOpts {
	p := fanOutPriority
	if a.Synced {
		p = syncedPriority
	}
	return river.InsertOpts{Queue: Queue, Priority: p, MaxAttempts: maxAttempts,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: waiting}}
}

// SerializationKey runs one upgrade of a repository's template at a time:
// two would race for its branch and pull request.
func (a Args) SerializationKey() string {
	return "template-upgrade:" + a.Owner + "/" + a.Repo + ":" + a.Template
}

// FanOutArgs is the job that a push to the platform repository's default
// branch touching templates/ queues: it lists the templates at the new
// tip and queues Args for every repository generated from one at an
// older version.
type FanOutArgs struct {
	InstallationID int64 `json:"installation_id"`
	// Account owns the platform repository: the installation's
	// repositories of that account are the ones upgraded.
	Account string `json:"account"`
	Commit  string `json:"commit"`
}

// Kind implements river.JobArgs.
func (FanOutArgs) Kind() string { return "portico.template_upgrade_fanout" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (FanOutArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, Priority: syncedPriority, MaxAttempts: maxAttempts}
}

// SerializationKey runs fan-outs one at a time, in push order.
func (FanOutArgs) SerializationKey() string { return "template-upgrade-fanout" }
