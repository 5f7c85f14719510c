// Package catalog owns the central catalog repository: the Git record of
// every entity that portico has seen on the default branches of the
// repositories it watches (DESIGN.md, flow 2).
//
// The repository holds one normalized entity per file at
// catalog/<namespace>/<kind>/<name>.yaml, annotated with the source
// repository, commit and path it came from, and a Backstage Location,
// catalog-info.yaml, at the root that lists every entity file so that a
// Backstage instance can register the repository as is. Which entities a
// source declares is kept in a small index file per source under
// .portico/sources/, so a sync reads only what belongs to that source.
//
// A Store writes commits with go-git plumbing, from the changed paths only:
// it reads the parent tree and rebuilds only the subtrees on those paths.
// There is no worktree. A Store is the single writer of its repository in
// this process; go-git repositories are not safe for concurrent use, and
// two Stores (or two processes) on one repository would race on its branch.
// Every name that becomes a path follows GitHub's rules (owners and
// repositories) or Backstage's (entities), and no path git fsck refuses
// (.git in any spelling, .gitmodules, ...) is ever written, so that the
// repository stays clonable and a remote with receive.fsckObjects takes
// it. A Location entity whose targets leave its repository or its
// organisation (descriptor.CheckLocation) is not recorded.
// Under .portico/ the repository also records when sources were removed
// (a sync read before then is refused) and each GitHub repository id's
// current name (a renamed source takes its old name's entities over).
//
// With a Remote (a GitHub repository), the Store's repository is a mirror:
// brought to the remote's tip before each write, pushed after it with a
// pack of only the new objects, and rebuilt and pushed again when another
// writer moved the branch first. A commit that could not be pushed goes
// out with the next write or Refresh. Upkeep packs loose objects and rolls
// small packs up in the background.
//
// Reading the record: Load (or a Loader, which reparses only the files
// that changed since its last load) builds an in-memory Catalog at any
// revision, which answers whether an entity exists (the reference check of
// validate) and which entities a change affects (Dependents, Graph,
// BlastRadius), through providers to the consumers of their APIs. Log and Diff read the history: the commits that changed an
// entity, and what changed between two revisions.
package catalog
