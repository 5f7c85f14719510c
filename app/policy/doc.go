// Package policy owns the organisation-policy layer that runs after
// Backstage's own rules: Rego (OPA v1) policies that platform teams write
// to hold descriptors to their conventions, compiled once and evaluated
// against every entity.
//
// Policies live in packages under `portico.` and define `deny` (errors)
// and `warn` (warnings) as partial sets; a severity table, in the bundle
// (data.portico.severity) or in the configuration, raises, lowers or
// turns off rules by id. policies/README.md is the reference for authors.
// An Engine compiles a bundle once and prepares a single query that
// collects deny and warn from every package, so that evaluating a
// document costs one pass of the evaluator, bounded in time.
//
// Policies come from a repository that many people can merge to, so they
// run in a sandbox: the built-ins that reach outside the process
// (RefusedBuiltins) are refused at load unless the configuration allows
// them by name. RunTests runs the bundle's Rego unit tests for `portico
// policy test` with its own runner, in the same sandbox, so that the
// binary does not link OPA's tester (and with it the testing package).
package policy
