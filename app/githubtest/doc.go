// Package githubtest is a stateful fake GitHub: the REST operations and
// webhooks portico uses, and Git over smart HTTP served by the real
// `git http-backend` from bare repositories on disk.
//
// It runs in-process for tests (New with a testing.TB) and standalone for
// people (`portico dev github`, with the JSON admin API under /_admin/).
//
// Every REST request is validated against GitHub's own OpenAPI
// description (testdata/github/api.github.com.json, embedded gzipped): a
// path or method the description does not know gets 404, and so does a
// path it leaves out that a kept operation's parameters would fit (such
// as .../commits/SHA/status for "get a commit": the violation names the
// operation to add); invalid parameters or bodies get 422; all are
// recorded as Violations, and a Server made with a testing.TB fails its
// test at cleanup when any were recorded. Responses are completed to the
// description's schemas (every required property present, as GitHub sends
// them) and validated too, as are outgoing webhook payloads.
//
// Writes through the Git Data API (trees with base_tree and inline
// contents, commits, refs created and moved, a non-fast-forward move
// refused unless forced) go into the repository's object database with
// git itself, so a clone or a tree read sees them; commits by an App are
// reported signed, as GitHub signs them. Pull requests are opened, listed
// (by head, base and state), edited and closed through REST too, and
// labelled, a missing label created as GitHub creates it.
//
// State: apps, installations, tokens, pull requests, labels, check runs,
// comments and deliveries live in memory; repositories are bare Git repositories
// under the data directory and are the only source of truth for branches,
// commits and files, whether they change through Commit or through a
// `git push` to GitURL. A push sends the `push` webhook, and
// `pull_request.synchronize` for the open pull requests whose head moved.
//
// Webhooks are signed with the App's secret and go only to Apps with a
// webhook URL, for events they subscribe to (an App created with no event
// list gets all; installation events always; check_suite and check_run to
// Apps that may write checks, as on GitHub). The Server's methods deliver
// before they return; webhooks set off by a REST request (an App's own
// comment, a redelivery) or a git push are sent after the answer, as
// GitHub does: WaitDeliveries waits for them.
//
// Apps are created through the admin API, CreateApp, or GitHub's App
// manifest flow (the form page and POST /app-manifests/{code}/conversions).
// A manifest is refused as GitHub refuses it, with GitHub's words: an
// event every App gets unasked (installation, installation_repositories)
// is "Default events unsupported", an event its permissions do not cover
// is "not supported by permissions". Which events an App may subscribe to
// comes from the description's supported-webhook-types
// (SubscribableEvents).
//
// Limits are GitHub's: tokens live one hour, 50 annotations per check run
// request, 65,535 characters of output summary and text, 100 items per
// page; a rate limit of 5,000 requests an hour per installation is counted
// and reported in the x-ratelimit-* headers. Faults (5xx, 429, secondary
// and primary rate limits, latency) are injected with Inject.
package githubtest
