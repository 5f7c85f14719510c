package catalog

import (
	"fmt"
	"time"

	"github.com/portico-dev/portico/app/descriptor"
)

// Source is one repository's descriptors at one commit.
type Source struct {
	Repo     string   // owner/name
	URL      string   // web URL of the repository (https://...), or a local directory
	Commit   string   // full commit id the entities were read at
	Entities []Entity // every entity the repository declares at Commit
	// RepoID is GitHub's id of the repository, which a rename keeps: a
	// source whose id the catalog knows under another name is that
	// repository renamed, and its entities move to the new name instead
	// of conflicting with themselves. Zero: unknown (a local checkout).
	RepoID int64
	// ReadAt is when the entities were read. A sync read before the
	// repository was removed from the catalog (a job that raced with the
	// removal) is refused with ErrRemoved. Zero skips the check.
	ReadAt time.Time
	// Scored says the Entities carry their score files (Entity.Score,
	// see Score): Sync writes each recorded entity's beside it when it
	// changed, and removes the file of one that no scorecard judges any
	// more. A source that was not scored leaves the recorded score files
	// as they are. An entity that goes loses its score file either way.
	Scored bool
}

// Result is what a sync or a removal did. Paths are catalog paths.
type Result struct {
	Repo      string
	Commit    string // the catalog commit made, "" when nothing changed
	Added     []string
	Changed   []string
	Deleted   []string
	Scores    []string // score files written or removed (scorecards/...json)
	Conflicts []Conflict
	Invalid   []Invalid
}

// Conflict is an entity that another source (or another file of the same
// source) already declares: it was not written.
type Conflict struct {
	Entity     string // kind:namespace/name
	SourcePath string // file of the source that declares it too
	Owner      string // repository the catalog records it from
}

// Invalid is an entity that breaks Backstage's rules or cannot be stored:
// it was not written, and what the catalog held for it stays.
type Invalid struct {
	SourcePath string
	Entity     string // kind:namespace/name, "" when unknown
	Findings   []descriptor.Finding
}

// Failed reports whether the sync left entities unrecorded.
func (r Result) Failed() bool { return len(r.Conflicts) > 0 || len(r.Invalid) > 0 }

// Summary is the change in the form of a commit message's counts, with
// the score files it wrote or removed when there are any.
func (r Result) Summary() string {
	s := fmt.Sprintf("+%d ~%d -%d", len(r.Added), len(r.Changed), len(r.Deleted))
	switch n := len(r.Scores); n {
	case 0:
		return s
	case 1:
		return s + ", 1 score"
	default:
		return fmt.Sprintf("%s, %d scores", s, n)
	}
}

// changed reports whether the result has anything to commit.
func (r Result) changed() bool {
	return len(r.Added)+len(r.Changed)+len(r.Deleted)+len(r.Scores) > 0
}

// shortSHA abbreviates a commit id as git log --oneline does.
func shortSHA(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}
