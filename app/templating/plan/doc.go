// Package plan plans the upgrade of one repository generated from a
// golden-path template: it renders the template at the repository's
// recorded version and platform commit (base) and at the new version
// (theirs) with the repository's answers, reads only the repository's
// files at the paths those renders hold (ours), and merges the three with
// app/templating/merge. The result is what the CLI writes to a checkout and
// what the App publishes as a pull request: files to write, paths to
// delete, a report per path and the answers file moved to the new version.
//
// It is an engine: trees and file systems in, a plan out; no worktree, no
// network, no GitHub.
package plan
