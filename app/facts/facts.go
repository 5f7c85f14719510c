package facts

import "slices"

// Fact names one fact about a repository, as scorecard rules declare
// what they need and as input.repository holds it.
type Fact string

// The facts a repository has.
const (
	Files         Fact = "files"
	DefaultBranch Fact = "default_branch"
	Protected     Fact = "protected"
	Languages     Fact = "languages"
)

// All lists every fact, in the order input.repository shows them.
var All = []Fact{Files, DefaultBranch, Protected, Languages}

// Repository is what is known about one repository at one commit.
type Repository struct {
	Name          string   // owner/name, or the checkout's directory: for reports
	Commit        string   // the commit the facts were read at; "" when none
	Files         []string // every file path, slash-separated, sorted
	DefaultBranch string
	Protected     bool // whether the default branch is protected
	Languages     []string
	// Unknown lists the facts that could not be read (a truncated tree,
	// GitHub down, no such thing in CLI mode). Their fields above mean
	// nothing.
	Unknown []Fact
}

// Known reports whether f was read.
func (r Repository) Known(f Fact) bool { return !slices.Contains(r.Unknown, f) }

// Nothing is a repository about which nothing is known: the facts of a
// descriptor that lives in no repository that could be read.
func Nothing(name string) Repository {
	return Repository{Name: name, Unknown: slices.Clone(All)}
}
