package gh

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Defaults of the transport's options.
const (
	DefaultMaxAttempts    = 5                // tries per request, the first included
	DefaultBackoffBase    = time.Second      // first retry wait after a 5xx or timeout
	DefaultBackoffMax     = 30 * time.Second // cap of the doubling backoff
	DefaultSecondaryWait  = time.Minute      // wait after a secondary limit that gives no retry-after (GitHub: at least one minute)
	DefaultMaxWait        = 5 * time.Minute  // longest a request waits for rate limits before failing with *RateLimitedError
	DefaultAttemptTimeout = 30 * time.Second // longest one try waits for response headers
)

// Limit is a number of requests allowed in any window of time Per.
type Limit struct {
	Requests int
	Per      time.Duration
}

// Option changes how Apps builds its clients.
type Option func(*options)

type options struct {
	base           http.RoundTripper
	clock          Clock
	registerer     prometheus.Registerer
	logger         *slog.Logger
	maxAttempts    int
	backoffBase    time.Duration
	backoffMax     time.Duration
	secondaryWait  time.Duration
	maxWait        time.Duration
	attemptTimeout time.Duration
	writeLimits    WriteLimits
}

// newOptions applies opts to the defaults for the REST API at restBase.
func newOptions(restBase string, opts []Option) *options {
	o := &options{
		base:           http.DefaultTransport,
		clock:          realClock{},
		registerer:     prometheus.NewRegistry(),
		logger:         slog.Default(),
		maxAttempts:    DefaultMaxAttempts,
		backoffBase:    DefaultBackoffBase,
		backoffMax:     DefaultBackoffMax,
		secondaryWait:  DefaultSecondaryWait,
		maxWait:        DefaultMaxWait,
		attemptTimeout: DefaultAttemptTimeout,
		writeLimits:    DefaultWriteLimits(restBase),
	}
	for _, opt := range opts {
		opt(o)
	}
	return o
}

// WithTransport sets the RoundTripper that finally sends requests
// (http.DefaultTransport by default).
func WithTransport(rt http.RoundTripper) Option { return func(o *options) { o.base = rt } }

// WithClock sets the clock every wait goes through.
func WithClock(c Clock) Option { return func(o *options) { o.clock = c } }

// WithRegisterer registers the GitHub metrics on reg. Without it they are
// kept but not exported.
func WithRegisterer(reg prometheus.Registerer) Option {
	return func(o *options) { o.registerer = reg }
}

// WithLogger sets the logger retries and waits are reported to.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithMaxAttempts bounds the tries of one request, the first included.
func WithMaxAttempts(n int) Option { return func(o *options) { o.maxAttempts = max(n, 1) } }

// WithBackoff sets the first retry wait after a 5xx or timeout and its cap;
// the wait doubles per try, with jitter.
func WithBackoff(base, limit time.Duration) Option {
	return func(o *options) { o.backoffBase, o.backoffMax = base, limit }
}

// WithSecondaryWait sets the wait after a secondary rate limit answer
// that has no retry-after header.
func WithSecondaryWait(d time.Duration) Option { return func(o *options) { o.secondaryWait = d } }

// WithMaxWait sets how long a request may wait for rate limits and pacing
// before it fails with *RateLimitedError.
func WithMaxWait(d time.Duration) Option { return func(o *options) { o.maxWait = d } }

// WithAttemptTimeout sets how long one try waits for response headers
// before it counts as a timeout; 0 means no limit but the context's.
func WithAttemptTimeout(d time.Duration) Option { return func(o *options) { o.attemptTimeout = d } }

// WithWriteLimits sets each installation's write budget, in place of
// DefaultWriteLimits of the REST base.
func WithWriteLimits(limits WriteLimits) Option {
	return func(o *options) { o.writeLimits = limits.clone() }
}
