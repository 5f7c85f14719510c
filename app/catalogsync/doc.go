// Package catalogsync records the descriptors of a repository's default
// branch in the central catalog whenever a push changes them: the push
// webhook becomes a SyncArgs job, and Runner reads the descriptors at the
// pushed commit through the App's installation and hands them to
// catalog.Store.Sync. What cannot be recorded (invalid entities,
// conflicts) is reported as a neutral check run on that commit.
package catalogsync
