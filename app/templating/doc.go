// Package templating owns the golden-path template model: it loads
// Backstage scaffolder templates (scaffolder.backstage.io/v1beta3
// Template entities in template.yaml files under the platform
// configuration's templates/ folder) with their portico version, types
// their steps, validates parameter values against their JSON Schema pages,
// renders a new repository's files through a Renderer (the Nunjucks engine
// of app/templating/render), and records provenance: the answers file
// .portico/answers.yaml and the source-template annotations of the
// rendered descriptors.
//
// It is an engine: it reads file systems and returns trees, and never
// touches the network, a worktree or GitHub. Template upgrades (merge and
// pull requests) build on it in app/templating/merge and app/upgrade.
package templating
