package gh

import (
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"time"
)

// retryDecision says whether and after how long to send req again, and
// why (the reason labels the retries metric). See the package doc for the
// rules on which requests may be sent again.
func (t *transport) retryDecision(req *http.Request, resp *http.Response, v verdict, err error, attempt int) (time.Duration, string, bool) {
	if attempt >= t.o.maxAttempts || req.Context().Err() != nil || !canReplay(req) {
		return 0, "", false
	}
	if err != nil {
		return t.errorDecision(req, err, attempt)
	}
	if v != notLimited {
		// Refused, so not acted on: any method may go again, once the wait
		// fits. admit does the waiting, for every request of the installation.
		d, _ := t.limits.delay(t.o.clock.Now(), t.resource(req))
		return 0, v.String() + "_rate_limit", t.canWait(req.Context(), d)
	}
	if isServerError(resp.StatusCode) && mayRepeat(req) {
		wait := t.backoff(attempt)
		if at, ok := retryAfter(resp.Header, t.o.clock.Now()); ok {
			wait = max(wait, at.Sub(t.o.clock.Now()))
		}
		return wait, "server_error", t.canWait(req.Context(), wait)
	}
	return 0, "", false
}

func (t *transport) errorDecision(req *http.Request, err error, attempt int) (time.Duration, string, bool) {
	var limited *RateLimitedError
	var nerr net.Error
	switch {
	case errors.As(err, &limited):
		return 0, "", false
	case notSent(err):
		return t.backoff(attempt), "connect", true
	case !mayRepeat(req):
		return 0, "", false
	case errors.Is(err, errAttemptTimeout), errors.As(err, &nerr) && nerr.Timeout():
		return t.backoff(attempt), "timeout", true
	default:
		return t.backoff(attempt), "connection", true
	}
}

// notSent recognises failures to open a connection: GitHub saw nothing.
func notSent(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &dns) || (errors.As(err, &op) && op.Op == "dial")
}

func isServerError(code int) bool {
	switch code {
	case http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// mayRepeat says whether GitHub acting on req twice is harmless.
func mayRepeat(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return isReplaySafe(req.Context()) || isTokenRequest(req)
}

func canReplay(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// rewind returns req with a fresh copy of its body for another try.
func rewind(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, nil
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	r := req.Clone(req.Context())
	r.Body = body
	return r, nil
}

// backoff doubles from the base per try, up to the cap, and keeps a
// random half of it so that installations that failed together do not
// come back together.
func (t *transport) backoff(attempt int) time.Duration {
	d := t.o.backoffBase << min(attempt-1, 20)
	if d <= 0 || d > t.o.backoffMax {
		d = t.o.backoffMax
	}
	half := d / 2
	return half + rand.N(half+1)
}
