package setup

import (
	"encoding/base64"
	"fmt"
	"io"
	"sync"
	"time"
)

const (
	// stateTTL matches the life of GitHub's manifest code: an hour.
	stateTTL = time.Hour
	// maxStates bounds memory however often the page is reloaded; the
	// oldest state goes first.
	maxStates = 256
)

// states holds the random state of each rendered page until its callback
// uses it, which makes the callback unforgeable from another site (CSRF).
type states struct {
	random io.Reader
	now    func() time.Time

	mu      sync.Mutex
	expires map[string]time.Time
}

func (s *states) issue() (string, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(s.random, b); err != nil {
		return "", fmt.Errorf("setup state: %w", err)
	}
	state := base64.RawURLEncoding.EncodeToString(b)
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prune(now)
	s.expires[state] = now.Add(stateTTL)
	return state, nil
}

// use consumes state and reports whether it was issued here and is still
// fresh. A state works once.
func (s *states) use(state string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.expires[state]
	delete(s.expires, state)
	return ok && s.now().Before(exp)
}

func (s *states) prune(now time.Time) {
	for k, exp := range s.expires {
		if !now.Before(exp) {
			delete(s.expires, k)
		}
	}
	for len(s.expires) >= maxStates {
		var oldest string
		for k, exp := range s.expires {
			if oldest == "" || exp.Before(s.expires[oldest]) {
				oldest = k
			}
		}
		delete(s.expires, oldest)
	}
}
