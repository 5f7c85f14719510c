package gh

import (
	"sync"
	"time"
)

// pacer spaces content-creating requests so that no window of time holds
// more than its limit. It keeps the send times of the last Requests
// requests per limit (a sliding-window log) rather than a token bucket: a
// bucket that allows a burst b on top of a rate r lets b + r through in
// some window, so it either breaks GitHub's "80 per minute" or gives up
// throughput, while the log is exact and still lets a burst through.
type pacer struct {
	mu      sync.Mutex
	windows []window
}

type window struct {
	limit Limit
	sent  []time.Time // ascending, all within the last limit.Per
}

func newPacer(limits []Limit) *pacer {
	p := &pacer{}
	for _, l := range limits {
		if l.Requests > 0 && l.Per > 0 {
			p.windows = append(p.windows, window{limit: l})
		}
	}
	return p
}

// take records a request sent now and returns 0, or returns how long to
// wait before asking again and records nothing.
func (p *pacer) take(now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	var wait time.Duration
	for i := range p.windows {
		w := &p.windows[i]
		w.prune(now)
		if len(w.sent) >= w.limit.Requests {
			wait = max(wait, w.sent[0].Add(w.limit.Per).Sub(now))
		}
	}
	if wait > 0 {
		return wait
	}
	for i := range p.windows {
		p.windows[i].sent = append(p.windows[i].sent, now)
	}
	return 0
}

// prune drops send times that have left the window ending now.
func (w *window) prune(now time.Time) {
	cutoff := now.Add(-w.limit.Per)
	i := 0
	for i < len(w.sent) && !w.sent[i].After(cutoff) {
		i++
	}
	w.sent = w.sent[i:]
}
