// Package validate runs descriptor validation over many inputs: it finds
// descriptor files under the paths it is given, reads and checks them in
// parallel (Backstage's rules, then the organisation's policies), and hands
// the results to a report.Writer in input order, one file at a time, so
// that memory stays flat however large the tree.
package validate
