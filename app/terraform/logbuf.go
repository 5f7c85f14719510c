package terraform

import (
	"fmt"
	"sync"
)

// TruncatedMarker starts a log whose beginning was dropped.
const TruncatedMarker = "[... earlier output truncated ...]\n"

// tail keeps the last limit bytes written to it, from any goroutine.
type tail struct {
	mu      sync.Mutex
	limit   int
	buf     []byte
	dropped int64
}

func newTail(limit int) *tail { return &tail{limit: limit} }

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.limit; over > 0 {
		t.dropped += int64(over)
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

// printf writes a line of the runner's own to the log.
func (t *tail) printf(format string, args ...any) {
	_, _ = fmt.Fprintf(t, "portico: "+format+"\n", args...)
}

// text returns what is kept, after the marker when bytes were dropped.
func (t *tail) text() (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dropped > 0 {
		return TruncatedMarker + string(t.buf), true
	}
	return string(t.buf), false
}
