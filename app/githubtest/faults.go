package githubtest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The messages and documentation links GitHub sends with rate limit
// errors; go-github tells the two limits apart by them.
const (
	secondaryLimitMessage = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID %s."
	secondaryLimitDocs    = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
	primaryLimitMessage   = "API rate limit exceeded for installation ID %d. If you reach out to GitHub Support for help, please include the request ID %s and timestamp %s."
	primaryLimitDocs      = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits"
)

// Fault makes matching REST requests fail or wait, as GitHub sometimes
// does. Faults are checked in the order injected; the first that matches
// applies.
type Fault struct {
	Method     string        // "" matches every method
	PathPrefix string        // "" matches every path (compared without the /api/v3 prefix)
	Status     int           // 500, 502, 503, 403 or 429; 0 only adds Latency
	Primary    bool          // with 403 or 429: use up the primary limit of the request's credentials until RetryAfter (default a minute) from now
	RetryAfter time.Duration // without Primary: the secondary limit's retry-after header, in whole seconds
	Times      int           // requests it applies to; 0 applies until ClearFaults
	Latency    time.Duration // waited before answering
}

type faultState struct {
	Fault
	used int
}

// Inject adds a fault.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultState{Fault: f})
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault finds the fault for a request and counts it as used.
func (s *Server) takeFault(method, path string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if (f.Method != "" && !strings.EqualFold(f.Method, method)) || !strings.HasPrefix(path, f.PathPrefix) {
			continue
		}
		f.used++
		if f.Times > 0 && f.used >= f.Times {
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
		}
		copied := f.Fault
		return &copied
	}
	return nil
}

// applyFault answers the request when a fault or the primary rate limit
// says so, and reports whether it did.
func (s *Server) applyFault(c *call, path string, b *bucketState) bool {
	if b.exceeded {
		c.rateLimited(http.StatusForbidden)
		return true
	}
	f := s.takeFault(c.r.Method, path)
	if f == nil {
		return false
	}
	if f.Latency > 0 {
		select {
		case <-time.After(f.Latency):
		case <-c.r.Context().Done():
		}
	}
	switch {
	case f.Status == 0:
		return false
	case f.Primary:
		wait := f.RetryAfter
		if wait <= 0 {
			wait = time.Minute
		}
		s.exhaust(b, time.Now().Add(wait))
		c.rateLimited(f.Status)
	case f.Status == http.StatusForbidden || f.Status == http.StatusTooManyRequests:
		c.header.Set("Retry-After", strconv.Itoa(int(math.Ceil(f.RetryAfter.Seconds()))))
		c.errorDocs(f.Status, fmt.Sprintf(secondaryLimitMessage, requestID()), secondaryLimitDocs)
	default:
		c.error(f.Status, http.StatusText(f.Status))
	}
	return true
}

func (c *call) rateLimited(status int) {
	var id int64
	if c.cred.tok != nil {
		id = c.cred.tok.inst.id
	}
	c.errorDocs(status, fmt.Sprintf(primaryLimitMessage, id, requestID(), time.Now().UTC().Format("2006-01-02 15:04:05 MST")), primaryLimitDocs)
}

func (c *call) errorDocs(status int, msg, docs string) {
	c.status = status
	c.out, _ = json.Marshal(obj{"message": msg, "documentation_url": docs, "status": strconv.Itoa(status)})
}

func requestID() string { return fmt.Sprintf("FAKE:%X", time.Now().UnixNano()) }
