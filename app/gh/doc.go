// Package gh owns portico's connection to GitHub: the App's identity
// (JWT) and one reused go-github client per installation, each with its
// installation token cached until shortly before it expires; the manifest
// exchange that turns the setup page's code into App credentials; and the
// http.RoundTripper under every client that keeps portico a good citizen
// of GitHub's API:
//
//   - primary rate limit: x-ratelimit-remaining/-reset are tracked per
//     installation and resource; an exhausted resource waits for its reset,
//     and Apps.RateLimit tells work that can wait (discovery) how much of
//     the core limit is left, so that it can leave a reserve;
//   - secondary rate limits: a 403 or 429 with retry-after, or naming the
//     secondary limit without it (then at least 60 s, doubling while it
//     lasts), pauses the installation and the request is sent again;
//   - 5xx, connection errors and timeouts: retried with exponential backoff
//     and jitter, a bounded number of times, only when resending cannot
//     act twice (see below);
//   - writes (POST, PATCH, PUT, DELETE; token requests aside) spend the
//     installation's write budget, kept per kind: checks (check runs,
//     check suites, commit statuses) and content (every other write),
//     so that neither spends the other's. Each kind has its own limits
//     (WriteLimits; DefaultWriteLimits: on github.com content 80 a minute
//     and 500 an hour, GitHub's documented limits, and checks 100 a
//     minute; none on other hosts), and a write waits for room. Bulk
//     writes leave the last quarter of every window to Interactive ones,
//     a free slot goes to a waiting Interactive write first, and waiting
//     writes of one priority are served round-robin across flows
//     (WithPriority). A pause GitHub asked for holds writes of every kind;
//   - Prometheus metrics: github_requests_total{method,code},
//     github_request_duration_seconds{method},
//     github_rate_limit_remaining{installation,resource},
//     github_request_retries_total{reason},
//     github_rate_limit_wait_seconds_total{reason} (reason primary,
//     secondary or pace) and github_write_wait_seconds_total{kind,priority}
//     (the pace waits by kind, checks or content, and priority,
//     interactive or bulk).
//
// Every wait is bounded by the request's context and by a maximum wait;
// a wait that cannot fit fails at once with *RateLimitedError, so that a
// job can be rescheduled (RetryAt) rather than hold a worker.
//
// Resending. A request GitHub refused for a rate limit was not acted on,
// so it is resent whatever its method, provided its body can be replayed.
// After a 5xx, a timeout or a broken connection GitHub may have acted, so
// only idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE) are resent:
// a POST that creates a check run and times out is NOT resent by the
// transport, because a second one would be a duplicate check run. It
// surfaces as an error to the job, whose retry looks for the existing
// check run first. ReplaySafe marks POSTs and PATCHes whose repetition is
// harmless (content-addressed Git blobs and trees, for example). A request
// that never reached GitHub (the connection could not be opened) is
// resent whatever its method.
package gh
