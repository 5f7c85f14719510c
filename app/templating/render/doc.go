// Package render renders Backstage scaffolder templates the way Backstage's
// fetch:template action and its workflow runner do: a step's input is
// evaluated against the task's scope (RenderValue), and a skeleton folder is
// rendered file by file, names included, into an in-memory tree.Tree
// (RenderSkeleton).
//
// The expression language is Nunjucks as Backstage's SecureTemplater
// configures it (variables ${{ }}, blocks {% %}, comments {# #}, no
// autoescape; {{ }} and the jsonify filter under cookiecutterCompat), run by
// gonja, a Jinja engine, with Backstage's filters (parseRepoUrl,
// parseEntityRef, pick, projectSlug) and the Nunjucks filters whose output
// differs from Jinja's (dump, join, replace...). Values reach templates as
// JavaScript sees them once JSON-decoded: numbers print as JavaScript prints
// them, booleans as true and false, lists joined by commas. The differences
// that remain are listed in docs/templates.md.
//
// Values are data: the text a value holds is never rendered as a template.
// Rendering touches no disk and no network, keeps every path inside its
// root, and stops with ErrOutputTooLarge when output passes its cap.
package render
