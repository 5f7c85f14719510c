package gh

import (
	"context"
	"sync"
	"time"
)

// writeBudget is one installation's write budget: a lane per kind of
// write, and at most one goroutine, running while writes wait, that
// sleeps on the Clock until the next moment one of them can go or must
// give up. The grant step runs under the lock whenever a write arrives,
// a waiting write gives up, or that goroutine wakes.
type writeBudget struct {
	clock Clock
	hold  func() time.Time // no write before this: the installation's pause

	mu        sync.Mutex
	lanes     [numWriteKinds]*lane // nil: that kind is not paced
	running   bool                 // the goroutine is running
	wake      time.Time            // when it looks next
	interrupt context.CancelFunc   // ends its sleep early
}

func newWriteBudget(limits WriteLimits, clock Clock, hold func() time.Time) *writeBudget {
	b := &writeBudget{clock: clock, hold: hold}
	for k := range numWriteKinds {
		b.lanes[k] = newLane(limits.of(k))
	}
	return b
}

// take waits until a write of kind k and priority p may be sent, records
// it as sent and returns how long it waited. A write that cannot go
// within bound fails at once with *RateLimitedError when that is already
// clear on arrival, and when bound is up otherwise.
func (b *writeBudget) take(ctx context.Context, k writeKind, p Priority, flow string, bound time.Duration) (time.Duration, error) {
	l := b.lanes[k]
	if l == nil {
		return 0, nil
	}
	b.mu.Lock()
	now := b.clock.Now()
	w := newWaiter(p, flow, now, bound)
	l.waiting[p].push(w)
	b.step(now)
	if w.finished {
		b.mu.Unlock()
		return 0, w.err
	}
	if until := later(l.estimate(now, w), b.hold()); until.Sub(now) > bound {
		l.waiting[p].remove(w)
		b.mu.Unlock()
		return 0, &RateLimitedError{Until: until, Reason: "pace"}
	}
	b.plan(now)
	b.mu.Unlock()
	return b.wait(ctx, l, w)
}

// wait blocks until w is granted or gives up, or ctx is done; a write
// that gives up leaves its place to the next.
func (b *writeBudget) wait(ctx context.Context, l *lane, w *waiter) (time.Duration, error) {
	select {
	case <-w.done:
	case <-ctx.Done():
		b.mu.Lock()
		defer b.mu.Unlock()
		if !w.finished {
			l.waiting[w.prio].remove(w)
			now := b.clock.Now()
			b.step(now)
			b.plan(now)
			return now.Sub(w.since), ctx.Err()
		}
	}
	return w.at.Sub(w.since), w.err
}

// step grants what fits now, unless the installation is paused, and
// fails the writes whose time is up.
func (b *writeBudget) step(now time.Time) {
	hold := b.hold()
	for _, l := range b.lanes {
		if l == nil {
			continue
		}
		if !hold.After(now) {
			l.grant(now)
		}
		l.expire(now, hold)
	}
}

// nextWake says when the goroutine must look next; false when nothing
// waits.
func (b *writeBudget) nextWake(now time.Time) (time.Time, bool) {
	var wake time.Time
	hold := b.hold()
	for _, l := range b.lanes {
		if l == nil {
			continue
		}
		if t, ok := l.nextEvent(now, hold); ok && (wake.IsZero() || t.Before(wake)) {
			wake = t
		}
	}
	return wake, !wake.IsZero()
}

// plan starts the goroutine when writes wait, and wakes it when it
// sleeps too long: nothing waits any more, or a write must give up
// before it looks.
func (b *writeBudget) plan(now time.Time) {
	wake, ok := b.nextWake(now)
	switch {
	case ok && !b.running:
		b.running = true
		go b.run()
	case b.running && (!ok || wake.Before(b.wake)) && b.interrupt != nil:
		b.interrupt()
	}
}

// run is the goroutine: step, sleep until the next event, again, until
// nothing waits.
func (b *writeBudget) run() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for {
		now := b.clock.Now()
		b.step(now)
		wake, ok := b.nextWake(now)
		if !ok {
			b.running, b.interrupt = false, nil
			return
		}
		ctx, cancel := context.WithCancel(context.Background())
		b.wake, b.interrupt = wake, cancel
		b.mu.Unlock()
		// An interrupted sleep only means: look again now.
		_ = b.clock.Sleep(ctx, wake.Sub(now))
		cancel()
		b.mu.Lock()
	}
}
