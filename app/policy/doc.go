// Package policy owns the organisation-policy layer that runs after
// Backstage's own rules: Rego (OPA v1) policies that platform teams write
// to hold descriptors to their conventions, compiled once and evaluated
// against every entity.
//
// Policies live in packages under `portico.` and define `deny` (errors)
// and `warn` (warnings) as partial sets; policies/README.md is the
// reference for authors. An Engine compiles a bundle once and prepares a
// single query that collects deny and warn from every package, so that
// evaluating a document costs one pass of the evaluator; RunTests runs
// the bundle's Rego unit tests for `portico policy test`.
package policy
