package catalogsync

import (
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// maxAttempts bounds retries of one sync; River backs off exponentially
// between them, so this spans hours of GitHub trouble.
const maxAttempts = 20

// River priorities (1 is River's highest and its default, which pull
// request checks keep): a push's sync comes next, then discovery, whose
// thousands of syncs in a large organisation must never delay a push's.
// All of them run on River's default queue, whose workers pull request
// checks (on the interactive queue) never wait for.
const (
	pushPriority       = 2
	removePriority     = 2
	discoverPriority   = 3
	discoveredPriority = 4
)

// waiting are the states in which an equal unique job absorbs a new one:
// it has not run yet, or is running and will read the branch's tip anyway.
// Finished jobs absorb nothing, so a repository added again is synced
// again.
var waiting = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
	rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}

// SyncArgs is the job that records one repository's descriptors at one
// commit of its default branch.
type SyncArgs struct {
	InstallationID int64  `json:"installation_id"`
	Owner          string `json:"owner"`
	Repo           string `json:"repo"`
	// RepoID is GitHub's id of the repository, which survives renames:
	// the catalog moves a renamed repository's entities to its new name.
	RepoID int64 `json:"repo_id,omitempty"`
	// HeadSHA is the pushed commit; empty for a discovered repository,
	// whose branch's tip is read when the job runs.
	HeadSHA string `json:"head_sha"`
	HTMLURL string `json:"html_url"`
	// Branch is the default branch the push moved. The job records the
	// branch's tip when it runs, which may be newer than HeadSHA, so that a
	// retried or late job never records an older state over a newer one.
	Branch string `json:"branch,omitempty"`
	// Discovered marks a sync that discovery queued rather than a push: it
	// runs at a lower priority, is unique while it waits, and keeps a
	// reserve of the installation's rate limit for pull request checks.
	Discovered bool `json:"discovered,omitempty"`
}

// Kind implements river.JobArgs.
func (SyncArgs) Kind() string { return "portico.catalog_sync" }

// InsertOpts implements river.JobArgsWithInsertOpts. A discovered sync
// equal to one already waiting is skipped, so that a retried discovery
// queues nothing twice.
func (a SyncArgs) InsertOpts() river.InsertOpts {
	o := river.InsertOpts{MaxAttempts: maxAttempts, Priority: pushPriority}
	if a.Discovered {
		o.Priority = discoveredPriority
		o.UniqueOpts = river.UniqueOpts{ByArgs: true, ByState: waiting}
	}
	return o
}

// SerializationKey runs one sync at a time per repository, so that pushes
// are recorded in the order they were made.
func (a SyncArgs) SerializationKey() string { return "repo:" + a.Owner + "/" + a.Repo }

// DiscoverArgs is the job that lists an installation's repositories and
// queues a sync of each.
type DiscoverArgs struct {
	InstallationID int64  `json:"installation_id"`
	Account        string `json:"account"`
	// Repos, as owner/name, limits discovery to repositories just added to
	// the installation; empty means every repository it reaches.
	Repos []string `json:"repos,omitempty"`
}

// Kind implements river.JobArgs.
func (DiscoverArgs) Kind() string { return "portico.catalog_discover" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (DiscoverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: maxAttempts, Priority: discoverPriority}
}

// RemoveArgs is the job that removes from the catalog, in one commit, the
// entities of repositories the installation no longer reaches.
type RemoveArgs struct {
	InstallationID int64  `json:"installation_id"`
	Account        string `json:"account"`
	// Repos, as owner/name, are the repositories removed from the
	// installation.
	Repos []string `json:"repos,omitempty"`
	// Uninstalled means the installation was deleted: every source of
	// Account goes.
	Uninstalled bool `json:"uninstalled,omitempty"`
}

// Kind implements river.JobArgs.
func (RemoveArgs) Kind() string { return "portico.catalog_remove" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (RemoveArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: maxAttempts, Priority: removePriority}
}
