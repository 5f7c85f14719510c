// Package catalogsync keeps the central catalog in step with the
// repositories the App is installed on.
//
// Pushes: a push to a default branch that touches descriptors becomes a
// SyncArgs job, and Runner reads the descriptors at the branch's tip
// through the App's installation and hands them to catalog.Store.Sync.
// What cannot be recorded (invalid entities, conflicts) is reported as a
// neutral check run on that commit.
//
// Discovery: installation.created and installation_repositories.added
// become a DiscoverArgs job; Discoverer lists the installation's
// repositories and queues a discovered SyncArgs for each, skipping forks
// and archived repositories (see skipReason). Discovered syncs run at a
// lower River priority than pushes' syncs and pull request checks, are
// unique while they wait, and snooze until the rate limit resets when the
// installation has less than reservePercent of its core limit left.
//
// Removal: installation_repositories.removed, installation.deleted and
// repository.deleted become a RemoveArgs job, which removes every entity
// of those repositories (of the whole account, for a deleted
// installation) in one commit, choosing them from the tree it commits on.
//
// Renames: repository.renamed and transferred sync the repository under
// its new name at once; every SyncArgs carries GitHub's repository id, by
// which the catalog moves a renamed repository's entities over.
package catalogsync
