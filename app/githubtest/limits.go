package githubtest

import (
	"net/http"
	"strconv"
	"time"
)

// GitHub's primary rate limits per hour.
const (
	installationLimit = 5000
	anonymousLimit    = 60
	rateWindow        = time.Hour
)

// bucket counts requests against one primary rate limit.
type bucket struct {
	limit int
	used  int
	reset time.Time
}

// bucketState is a bucket as one response reports it.
type bucketState struct {
	key         string
	limit, used int
	reset       time.Time
	exceeded    bool // the limit was used up before this request
}

func (b *bucketState) remaining() int { return max(b.limit-b.used, 0) }

func (b *bucketState) setHeaders(h http.Header) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(b.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(b.remaining()))
	h.Set("X-RateLimit-Used", strconv.Itoa(b.used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(b.reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

// consume counts a request against the limit of its credentials: the
// installation's for a token, the App's for a JWT, the client's otherwise.
func (s *Server) consume(cred credentials) *bucketState {
	key, limit := "anonymous", anonymousLimit
	switch {
	case cred.tok != nil:
		key, limit = "installation:"+strconv.FormatInt(cred.tok.inst.id, 10), installationLimit
	case cred.app != nil:
		key, limit = "app:"+strconv.FormatInt(cred.app.id, 10), installationLimit
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[key]
	if b == nil || !now.Before(b.reset) {
		b = &bucket{limit: limit, reset: now.Add(rateWindow).Truncate(time.Second)}
		s.buckets[key] = b
	}
	if b.used >= b.limit {
		return &bucketState{key: key, limit: b.limit, used: b.used, reset: b.reset, exceeded: true}
	}
	b.used++
	return &bucketState{key: key, limit: b.limit, used: b.used, reset: b.reset}
}

// exhaust uses up a bucket until the given time, as a client that spent
// its hourly requests would.
func (s *Server) exhaust(st *bucketState, until time.Time) {
	until = until.Truncate(time.Second).Add(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	if b := s.buckets[st.key]; b != nil {
		b.used, b.reset = b.limit, until
	}
	st.used, st.reset = st.limit, until
}

// count records a request for Requests and, when it creates content with
// an installation token, for ContentCreatingPerMinute.
func (s *Server) count(c *call, path string) {
	key := c.r.Method + " " + path
	if c.rt != nil {
		key = c.rt.key()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[key]++
	if c.cred.tok != nil && c.r.Method != http.MethodGet && c.r.Method != http.MethodHead {
		id := c.cred.tok.inst.id
		s.writes[id] = append(s.writes[id], time.Now())
	}
}

// Requests counts the REST requests received so far by operation, keyed
// as "METHOD /path/{template}" in the description's spelling (for a path
// the description lacks, the request's own path).
func (s *Server) Requests() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// ContentCreatingPerMinute is the largest number of content-creating
// requests (any method but GET and HEAD) that installation made within
// any 60-second window, to compare with GitHub's secondary limit of 80.
func (s *Server) ContentCreatingPerMinute(installationID int64) int {
	s.mu.Lock()
	times := append([]time.Time(nil), s.writes[installationID]...)
	s.mu.Unlock()
	best, lo := 0, 0
	for hi, t := range times {
		for t.Sub(times[lo]) >= time.Minute {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}
