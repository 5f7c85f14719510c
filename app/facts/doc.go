// Package facts owns what portico knows about a repository when it
// judges the entities the repository declares: the paths of its files,
// its default branch and whether that branch is protected, and its
// languages. Scorecards read them as plain data (input.repository), so a
// scorecard is tested without GitHub.
//
// Facts are gathered once per repository and commit (Cache). In CLI mode
// Checkout reads them from a local checkout with go-git; in App mode the
// GitHub side implements Remote, and FromRemote gathers them: the file
// paths from one recursive tree request (TreeFiles; the subtrees too when
// GitHub truncates it), then the default branch, its protection and the
// languages.
// A fact that cannot be read is Unknown, never empty: a scorecard rule
// that needs it is reported unknown rather than failed.
package facts
