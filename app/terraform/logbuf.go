package terraform

import (
	"fmt"
	"sync"
	"unicode/utf8"
)

// TruncatedMarker starts a log whose beginning was dropped.
const TruncatedMarker = "[... earlier output truncated ...]\n"

// tail keeps the last limit bytes written to it, from any goroutine.
// The runner keeps twice the log's limit, so that redaction sees a
// secret whole (a PEM block whose header would be cut) before the log is
// cut to its limit by cut.
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

// text returns what is kept and whether bytes were dropped.
func (t *tail) text() (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf), t.dropped > 0
}

// cut returns the last limit bytes of text, starting at a character, after
// TruncatedMarker when anything was dropped, before or here.
func cut(text string, limit int, dropped bool) (string, bool) {
	if len(text) > limit {
		text, dropped = text[len(text)-limit:], true
		i := 0
		for i < len(text) && i < utf8.UTFMax && !utf8.RuneStart(text[i]) {
			i++
		}
		text = text[i:]
	}
	if dropped {
		return TruncatedMarker + text, true
	}
	return text, false
}
