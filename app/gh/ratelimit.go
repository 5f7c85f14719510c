package gh

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// verdict is what a response says about GitHub's rate limits.
type verdict int

const (
	notLimited verdict = iota
	primaryLimited
	secondaryLimited
)

func (v verdict) String() string {
	switch v {
	case primaryLimited:
		return "primary"
	case secondaryLimited:
		return "secondary"
	default:
		return "none"
	}
}

// bucket is one primary rate limit resource (core, search ...) as the
// latest response described it.
type bucket struct {
	limit     int // 0 when the response did not say
	remaining int
	reset     time.Time
}

// Rate is an installation's primary rate limit for the core resource (the
// REST API) as the latest response described it.
type Rate struct {
	// Limit is the requests allowed per window, 0 when GitHub did not say.
	Limit int
	// Remaining is what is left of it until Reset.
	Remaining int
	Reset     time.Time
}

// limits is one installation's view of GitHub's rate limits, shared by
// every request made for it.
type limits struct {
	secondaryWait time.Duration
	remainingGV   *prometheus.GaugeVec
	label         string

	mu      sync.Mutex
	buckets map[string]bucket
	paused  time.Time // no request before this: a secondary limit or retry-after
	streak  int       // secondary limits in a row, for the doubling wait
}

func newLimits(label string, secondaryWait time.Duration, remaining *prometheus.GaugeVec) *limits {
	return &limits{label: label, secondaryWait: secondaryWait, remainingGV: remaining, buckets: map[string]bucket{}}
}

// delay says how long a request for resource must wait, and why.
func (l *limits) delay(now time.Time, resource string) (time.Duration, verdict) {
	l.mu.Lock()
	defer l.mu.Unlock()
	d, why := time.Duration(0), notLimited
	if l.paused.After(now) {
		d, why = l.paused.Sub(now), secondaryLimited
	}
	if b, ok := l.buckets[resource]; ok && b.remaining == 0 && b.reset.Sub(now) > d {
		d, why = b.reset.Sub(now), primaryLimited
	}
	return d, why
}

// pausedUntil says until when every request of the installation waits:
// a secondary limit or a retry-after.
func (l *limits) pausedUntil() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.paused
}

// core returns the core resource's last seen state.
func (l *limits) core() (Rate, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets["core"]
	return Rate{Limit: b.limit, Remaining: b.remaining, Reset: b.reset}, ok
}

// observe records what resp says about the limits and classifies it.
func (l *limits) observe(now time.Time, resource string, resp *http.Response) verdict {
	h := resp.Header
	if r := h.Get("X-RateLimit-Resource"); r != "" {
		resource = r
	}
	b, hasBucket := parseBucket(h)
	v := classify(resp, b, hasBucket)
	l.mu.Lock()
	defer l.mu.Unlock()
	if hasBucket {
		l.buckets[resource] = b
		l.remainingGV.WithLabelValues(l.label, resource).Set(float64(b.remaining))
	}
	switch {
	case v == notLimited && resp.StatusCode < 400:
		l.streak = 0
	case v != notLimited:
		l.pauseFor(now, resp, v, b)
	}
	return v
}

// pauseFor follows GitHub's order: retry-after first, then the primary
// reset, then at least secondaryWait, doubling while limits go on.
func (l *limits) pauseFor(now time.Time, resp *http.Response, v verdict, b bucket) {
	l.streak++
	until, ok := retryAfter(resp.Header, now)
	switch {
	case ok:
	case v == primaryLimited && b.reset.After(now):
		return // the bucket itself holds the wait
	default:
		until = now.Add(l.secondaryWait << min(l.streak-1, 6))
	}
	if until.After(l.paused) {
		l.paused = until
	}
}

func parseBucket(h http.Header) (bucket, bool) {
	rem, err1 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	reset, err2 := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64)
	if err1 != nil || err2 != nil {
		return bucket{}, false
	}
	limit, _ := strconv.Atoi(h.Get("X-RateLimit-Limit"))
	return bucket{limit: max(limit, 0), remaining: rem, reset: time.Unix(reset, 0)}, true
}

// classify tells a rate limit refusal from any other 403: it peeks at the
// body only when the headers do not tell.
func classify(resp *http.Response, b bucket, hasBucket bool) verdict {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return notLimited
	}
	switch {
	case hasBucket && b.remaining == 0:
		return primaryLimited
	case resp.Header.Get("Retry-After") != "",
		resp.StatusCode == http.StatusTooManyRequests,
		mentionsSecondaryLimit(resp):
		return secondaryLimited
	default:
		return notLimited
	}
}

// peekLimit caps how much of a 403 body is read to classify it.
const peekLimit = 64 << 10

// mentionsSecondaryLimit reads the start of the body and puts it back.
func mentionsSecondaryLimit(resp *http.Response) bool {
	head, err := io.ReadAll(io.LimitReader(resp.Body, peekLimit))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	if err != nil {
		return false
	}
	lower := strings.ToLower(string(head))
	return strings.Contains(lower, "secondary rate limit") ||
		strings.Contains(lower, "secondary-rate-limits") ||
		strings.Contains(lower, "abuse")
}

// retryAfter reads retry-after as seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Time, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return time.Time{}, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return now.Add(time.Duration(secs) * time.Second), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return t, true
	}
	return time.Time{}, false
}
