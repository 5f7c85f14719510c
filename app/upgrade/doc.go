// Package upgrade publishes a planned template upgrade as one pull
// request on the repository's GitHub: the commit built through the Git
// Data API from the default branch's tip (one tree with base_tree and
// inline contents, one commit, one ref on portico/template/<name>), the
// pull request opened or updated in place, labelled when it opens: at
// most five writes per pull request, none when nothing changed. A file
// whose bytes are not UTF-8 cannot be inline content (a JSON string):
// it costs one blob write more.
//
// Rules, each decided from what GitHub holds, so a re-run after a crash
// or on another replica decides the same:
//
//   - portico's own commits carry trailers: Portico-Template (the
//     template), Portico-Version, Portico-Change (a digest of the
//     proposal: base commit, files, modes, deletions) and Portico-Tree.
//     A branch tip is portico's when it has one parent and its
//     Portico-Tree names its own tree: a person's commit on top has no
//     trailers, and an amended or rebased one that changes any file has
//     another tree. An amend that keeps every file loses nothing when
//     overwritten. The committer is not trusted for this: GitHub signs
//     commits made on the web as it signs the App's.
//   - unchanged: the tip is portico's, its parent is the proposal's base
//     and its Portico-Change is the proposal's digest, and the open pull
//     request's title and body are the proposal's: no write at all.
//   - a newer version (or any other change) supersedes the open pull
//     request in place: the branch is force-updated, title and body
//     edited. GitHub's REST API cannot turn a draft into a ready pull
//     request or back (that takes GraphQL), so the draft state is the
//     one the pull request opened with; the body, which the caller
//     writes, says whether conflicts remain.
//   - a person pushed to the branch of the open pull request: nothing is
//     overwritten; one comment says which version is held back, marked so
//     that later runs for the same version stay silent (a newer version
//     gets one comment of its own).
//   - the newest pull request from the branch was closed (merged or not)
//     for the proposal's version: skipped, never reopened. The version is
//     read from a hidden marker portico appends to the body. A newer
//     version opens a fresh pull request and reuses the branch,
//     force-updated: the closed pull request keeps its commits under
//     refs/pull/N/head.
//
// Around Publish, the App's flow: Triggers queue one durable Args job per
// repository (a push raising templates on the platform repository fans
// out over the central catalog's generated repositories; a catalog sync
// queues one for a repository behind), and Worker runs each on its own
// River queue, paced per hour: Flow reads the default branch tip and
// .portico/answers.yaml, plans with app/templating/plan and publishes
// with a Body that quotes the template's changelog. Flow sees GitHub only
// through the Connector, Repository and Platform interfaces; Apps is
// their go-github implementation.
//
// Writes go through the App's paced client (app/gh) as content writes at
// Bulk priority, flow "template-upgrade:<owner>/<repo>", so a fan-out
// yields to pull request checks.
package upgrade
