package gh

import (
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// transport is the RoundTripper under one installation's (or the App's)
// go-github client, below ghinstallation's authentication: each try
// waits for rate limits and pacing, is sent, measured and classified, and
// RoundTrip decides whether to try again.
type transport struct {
	next     http.RoundTripper
	label    string // installation id, or "app"
	basePath string // the REST base's path ("/api/v3" on GHES), stripped to find a request's resource
	o        *options
	m        *metrics
	limits   *limits
	budget   *writeBudget
}

func newTransport(label, basePath string, o *options, m *metrics) *transport {
	l := newLimits(label, o.secondaryWait, m.remaining)
	return &transport{
		next:     o.base,
		label:    label,
		basePath: strings.TrimSuffix(basePath, "/"),
		o:        o,
		m:        m,
		limits:   l,
		budget:   newWriteBudget(o.writeLimits, o.clock, l.pausedUntil),
	}
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	for attempt := 1; ; attempt++ {
		resp, v, err := t.try(req)
		wait, reason, again := t.retryDecision(req, resp, v, err, attempt)
		if !again {
			return resp, err
		}
		discard(resp)
		t.m.retries.WithLabelValues(reason).Inc()
		t.o.logger.InfoContext(req.Context(), "github request sent again",
			"installation", t.label, "method", req.Method, "path", req.URL.Path,
			"reason", reason, "attempt", attempt+1, "wait", wait)
		if wait > 0 {
			if err := t.o.clock.Sleep(req.Context(), wait); err != nil {
				return nil, err
			}
		}
		if req, err = rewind(req); err != nil {
			return nil, err
		}
	}
}

// try makes one attempt: admission, send, measure, classify.
func (t *transport) try(req *http.Request) (*http.Response, verdict, error) {
	token := isTokenRequest(req)
	resource := t.resource(req)
	if !token {
		if err := t.admit(req, resource); err != nil {
			closeBody(req)
			return nil, notLimited, err
		}
	}
	start := time.Now()
	resp, err := t.send(req)
	t.m.observe(req.Method, resp, time.Since(start))
	if err != nil || token {
		// Token requests are the App's (JWT), not the installation's: their
		// limits are not this installation's to record.
		return resp, notLimited, err
	}
	return resp, t.limits.observe(t.o.clock.Now(), resource, resp), nil
}

// admit waits until rate limits and the write budget let a request
// through, or fails with *RateLimitedError when the wait would not fit.
func (t *transport) admit(req *http.Request, resource string) error {
	ctx := req.Context()
	waited, err := t.waitLimits(ctx, resource)
	if err != nil || !isWrite(req.Method) {
		return err
	}
	kind := classifyWrite(req.Method, strings.TrimPrefix(req.URL.Path, t.basePath))
	prio, flow := priorityOf(ctx)
	d, err := t.budget.take(ctx, kind, prio, flow, t.waitBound(ctx, waited))
	if d > 0 {
		t.m.waited.WithLabelValues("pace").Add(d.Seconds())
		t.m.writeWaited.WithLabelValues(kind.String(), prio.String()).Add(d.Seconds())
	}
	return err
}

// waitLimits waits while the installation is paused or resource's
// primary limit is exhausted, and returns how long it waited.
func (t *transport) waitLimits(ctx context.Context, resource string) (time.Duration, error) {
	var waited time.Duration
	for {
		now := t.o.clock.Now()
		d, why := t.limits.delay(now, resource)
		if d <= 0 {
			return waited, nil
		}
		if !t.canWait(ctx, waited+d) {
			return waited, &RateLimitedError{Until: now.Add(d), Reason: why.String()}
		}
		t.m.waited.WithLabelValues(why.String()).Add(d.Seconds())
		if err := t.o.clock.Sleep(ctx, d); err != nil {
			return waited, err
		}
		waited += d
	}
}

// waitBound is how much longer a request that has waited may wait: the
// rest of the maximum wait, within the context's deadline.
func (t *transport) waitBound(ctx context.Context, waited time.Duration) time.Duration {
	bound := t.o.maxWait - waited
	if deadline, ok := ctx.Deadline(); ok {
		bound = min(bound, time.Until(deadline))
	}
	return bound
}

// canWait says whether waiting d stays within the maximum wait and the
// context's deadline (real time: deadlines are).
func (t *transport) canWait(ctx context.Context, d time.Duration) bool {
	if d > t.o.maxWait {
		return false
	}
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > d
}

// errAttemptTimeout is the cause of a try cancelled for taking too long.
var errAttemptTimeout = errors.New("no response from GitHub within the attempt timeout")

// send sends one try, bounded by the attempt timeout until the response
// headers arrive; the body then reads under the request's own context.
func (t *transport) send(req *http.Request) (*http.Response, error) {
	if t.o.attemptTimeout <= 0 {
		return t.next.RoundTrip(req)
	}
	ctx, cancel := context.WithCancelCause(req.Context())
	timer := time.AfterFunc(t.o.attemptTimeout, func() { cancel(errAttemptTimeout) })
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	timer.Stop()
	if err != nil {
		if context.Cause(ctx) == errAttemptTimeout && req.Context().Err() == nil {
			err = errAttemptTimeout
		}
		cancel(nil)
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: func() { cancel(nil) }}
	return resp, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel func()
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// resource maps a request to the primary rate limit resource it counts
// against, as GitHub names them in x-ratelimit-resource.
func (t *transport) resource(req *http.Request) string {
	p := strings.TrimPrefix(req.URL.Path, t.basePath)
	switch {
	case strings.HasPrefix(p, "/search/code"):
		return "code_search"
	case strings.HasPrefix(p, "/search/"):
		return "search"
	case p == "/graphql":
		return "graphql"
	default:
		return "core"
	}
}

var tokenPath = regexp.MustCompile(`/app/installations/[0-9]+/access_tokens$`)

// isTokenRequest recognises ghinstallation fetching an installation token
// through this transport.
func isTokenRequest(req *http.Request) bool {
	return req.Method == http.MethodPost && tokenPath.MatchString(req.URL.Path)
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// discard drains a little of a response that will not be used, so that
// its connection can be reused, and closes it.
func discard(resp *http.Response) {
	if resp == nil {
		return
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, peekLimit))
	resp.Body.Close()
}
