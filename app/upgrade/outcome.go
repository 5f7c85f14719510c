package upgrade

// Result is what Publish did, the outcome label of
// portico_template_upgrades_total.
type Result int

// The results of Publish.
const (
	Created          Result = iota // a pull request was opened
	Updated                        // the open pull request was superseded in place
	Unchanged                      // the open pull request already held the proposal
	SkippedHumanEdit               // a person pushed to the branch: left alone
	SkippedClosed                  // the pull request for this version was closed
)

// Results lists every Result, to initialise metrics with each label.
var Results = []Result{Created, Updated, Unchanged, SkippedHumanEdit, SkippedClosed}

// String is the result as a metrics label.
func (r Result) String() string {
	switch r {
	case Created:
		return "created"
	case Updated:
		return "updated"
	case Unchanged:
		return "unchanged"
	case SkippedHumanEdit:
		return "skipped_human_edit"
	case SkippedClosed:
		return "skipped_closed"
	}
	return "unknown"
}

// Outcome is what Publish did and the pull request it did it to.
type Outcome struct {
	Result Result
	Number int    // the pull request
	URL    string // its web page
}
