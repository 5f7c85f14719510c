package catalogsync

import (
	"github.com/riverqueue/river"
)

// maxAttempts bounds retries of one sync; River backs off exponentially
// between them, so this spans hours of GitHub trouble.
const maxAttempts = 20

// SyncArgs is the job that records one repository's descriptors at one
// commit of its default branch.
type SyncArgs struct {
	InstallationID int64  `json:"installation_id"`
	Owner          string `json:"owner"`
	Repo           string `json:"repo"`
	HeadSHA        string `json:"head_sha"`
	HTMLURL        string `json:"html_url"`
	// Branch is the default branch the push moved. The job records the
	// branch's tip when it runs, which may be newer than HeadSHA, so that a
	// retried or late job never records an older state over a newer one.
	Branch string `json:"branch,omitempty"`
}

// Kind implements river.JobArgs.
func (SyncArgs) Kind() string { return "portico.catalog_sync" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (SyncArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: maxAttempts}
}

// SerializationKey runs one sync at a time per repository, so that pushes
// are recorded in the order they were made.
func (a SyncArgs) SerializationKey() string { return "repo:" + a.Owner + "/" + a.Repo }
