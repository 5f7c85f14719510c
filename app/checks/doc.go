// Package checks runs the pull request check: on a pull request event it
// reads the descriptors the pull request changes at its head commit,
// validates them with Backstage's rules and the organisation's policies
// (from the platform configuration's default branch, never the pull
// request), and reports one Check Run, "portico / catalog", with an
// annotation at every finding's line and a Markdown summary.
//
// One file per event turns a delivery into a job; run.go does the job.
package checks
