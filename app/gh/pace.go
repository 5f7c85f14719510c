package gh

import (
	"slices"
	"time"
)

// Pacing. Each kind of write has a lane: its limits, each kept as a
// sliding-window log, and the writes waiting for room in them.
//
// A log keeps the send times of the last Requests requests per limit
// rather than a token bucket: a bucket that allows a burst b on top of a
// rate r lets b + r through in some window, so it either breaks GitHub's
// "80 per minute" or gives up throughput, while the log is exact and
// still lets a burst through.
//
// Bulk writes may only fill each window to their share, three quarters
// of it: the last quarter is a reserve, so that an Interactive write
// finds a free slot whenever Interactive writes themselves have not used
// the window up. When writes wait, a free slot goes to an Interactive one
// before any Bulk one, and within a priority round-robin across flows
// (fairQueue).

// window is one limit's sliding-window log.
type window struct {
	limit Limit
	sent  []time.Time // ascending, all within the last limit.Per once pruned
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

// share is how many sends the window may hold for a write of priority p
// still to go: all of it for Interactive, three quarters (rounded up) for
// Bulk.
func (w *window) share(p Priority) int {
	if p == Interactive {
		return w.limit.Requests
	}
	return w.limit.Requests - w.limit.Requests/4
}

// freeAt says when the window, pruned at now, can take a write of
// priority p: now, or when enough of its sends have left it.
func (w *window) freeAt(now time.Time, p Priority) time.Time {
	n, share := len(w.sent), w.share(p)
	if n < share {
		return now
	}
	return w.sent[n-share].Add(w.limit.Per)
}

// lane paces one kind of write.
type lane struct {
	windows []window
	waiting [numPriorities]fairQueue
}

// newLane returns nil when limits hold no usable limit: that kind is not
// paced.
func newLane(limits []Limit) *lane {
	l := &lane{}
	for _, lim := range limits {
		if lim.Requests > 0 && lim.Per > 0 {
			l.windows = append(l.windows, window{limit: lim})
		}
	}
	if len(l.windows) == 0 {
		return nil
	}
	return l
}

// freeAt says when every window can take a write of priority p. The
// latest of the windows' answers is right for all of them, since a
// window only gains room as time passes.
func (l *lane) freeAt(now time.Time, p Priority) time.Time {
	t := now
	for i := range l.windows {
		w := &l.windows[i]
		w.prune(now)
		if f := w.freeAt(now, p); f.After(t) {
			t = f
		}
	}
	return t
}

func (l *lane) record(now time.Time) {
	for i := range l.windows {
		l.windows[i].sent = append(l.windows[i].sent, now)
	}
}

// head is the priority whose waiting writes are served next.
func (l *lane) head() (Priority, bool) {
	for _, p := range []Priority{Interactive, Bulk} {
		if l.waiting[p].len() > 0 {
			return p, true
		}
	}
	return Bulk, false
}

// grant sends the waiting writes that fit now, Interactive first. Once
// an Interactive write does not fit, no Bulk write does either: its
// share is smaller.
func (l *lane) grant(now time.Time) {
	for {
		p, ok := l.head()
		if !ok || l.freeAt(now, p).After(now) {
			return
		}
		l.record(now)
		l.waiting[p].pop().finish(now, nil)
	}
}

// expire fails the waiting writes whose time is up at now; hold is when
// the installation's pause ends.
func (l *lane) expire(now, hold time.Time) {
	for p := range l.waiting {
		for _, w := range l.waiting[p].due(now) {
			until := later(l.estimate(now, w), hold)
			l.waiting[p].remove(w)
			w.finish(now, &RateLimitedError{Until: until, Reason: "pace"})
		}
	}
}

// nextEvent says when the lane next needs looking at: when its first
// waiting write can go (not before hold) or when a waiting write gives
// up. False when nothing waits.
func (l *lane) nextEvent(now, hold time.Time) (time.Time, bool) {
	p, ok := l.head()
	if !ok {
		return time.Time{}, false
	}
	t := later(l.freeAt(now, p), hold)
	for q := range l.waiting {
		if d, ok := l.waiting[q].firstDeadline(); ok && d.Before(t) {
			t = d
		}
	}
	return t, true
}

// estimate says when waiting write w would go if no other write came: it
// replays, on copies of the logs, the grants of the writes served before
// it. Later Interactive writes and new flows can only move it back.
func (l *lane) estimate(now time.Time, w *waiter) time.Time {
	ahead := l.waiting[w.prio].ahead(w)
	if w.prio == Bulk {
		ahead += l.waiting[Interactive].len()
	}
	sim := &lane{windows: make([]window, len(l.windows))}
	for i, win := range l.windows {
		sim.windows[i] = window{limit: win.limit, sent: slices.Clone(win.sent)}
	}
	t := now
	for range ahead + 1 {
		t = sim.freeAt(t, w.prio)
		sim.record(t)
	}
	return t
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
