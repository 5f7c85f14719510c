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
//   - content-creating requests (POST, PATCH, PUT, DELETE) are paced to 80
//     a minute and 500 an hour per installation, GitHub's documented
//     limits, by waiting;
//   - Prometheus metrics: github_requests_total{method,code},
//     github_request_duration_seconds{method},
//     github_rate_limit_remaining{installation,resource},
//     github_request_retries_total{reason} and
//     github_rate_limit_wait_seconds_total{reason}.
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
