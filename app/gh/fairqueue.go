package gh

import (
	"slices"
	"time"
)

// waiter is a write waiting for room in its lane. Its fields are guarded
// by the writeBudget's lock.
type waiter struct {
	prio     Priority
	flow     string
	since    time.Time // when it started waiting
	deadline time.Time // when it gives up
	at       time.Time // when it was granted or gave up
	err      error     // why it gave up; nil once granted
	finished bool
	done     chan struct{} // closed by finish
}

func newWaiter(p Priority, flow string, now time.Time, bound time.Duration) *waiter {
	return &waiter{prio: p, flow: flow, since: now, deadline: now.Add(bound), done: make(chan struct{})}
}

func (w *waiter) finish(now time.Time, err error) {
	w.at, w.err, w.finished = now, err, true
	close(w.done)
}

// fairQueue holds one priority's waiting writes and serves them
// round-robin across flows, FIFO within a flow: the flows with writes
// waiting take turns, one write a turn; a flow whose turn came goes to
// the back of the round, and so does a flow that starts waiting. A flow
// with hundreds of writes queued therefore delays another flow's write
// by one turn, not by its hundreds, and only flows with writes waiting
// are remembered.
type fairQueue struct {
	flows map[string]*flow // the flows with writes waiting
	round []*flow          // the same flows, in the order of their turns
	n     int              // waiting writes
}

type flow struct {
	key     string
	waiting []*waiter
}

func (q *fairQueue) len() int { return q.n }

func (q *fairQueue) push(w *waiter) {
	if q.flows == nil {
		q.flows = map[string]*flow{}
	}
	f := q.flows[w.flow]
	if f == nil {
		f = &flow{key: w.flow}
		q.flows[w.flow] = f
		q.round = append(q.round, f)
	}
	f.waiting = append(f.waiting, w)
	q.n++
}

// pop takes the next write to serve; something must wait.
func (q *fairQueue) pop() *waiter {
	f := q.round[0]
	q.round = q.round[1:]
	w := f.waiting[0]
	f.waiting = f.waiting[1:]
	q.n--
	if len(f.waiting) > 0 {
		q.round = append(q.round, f)
	} else {
		delete(q.flows, f.key)
	}
	return w
}

// remove takes w out of the queue, wherever it is.
func (q *fairQueue) remove(w *waiter) {
	f := q.flows[w.flow]
	if f == nil {
		return
	}
	i := slices.Index(f.waiting, w)
	if i < 0 {
		return
	}
	f.waiting = slices.Delete(f.waiting, i, i+1)
	q.n--
	if len(f.waiting) == 0 {
		delete(q.flows, f.key)
		q.round = slices.DeleteFunc(q.round, func(g *flow) bool { return g == f })
	}
}

// ahead counts the writes served before w if no other write came: w is
// served in turn k of its flow, k its place there; a flow ahead of w's
// in the round gets k+1 turns first, one behind it k.
func (q *fairQueue) ahead(w *waiter) int {
	own := q.flows[w.flow]
	k := slices.Index(own.waiting, w)
	n, behind := k, false
	for _, f := range q.round {
		if f == own {
			behind = true
			continue
		}
		turns := k
		if !behind {
			turns++
		}
		n += min(len(f.waiting), turns)
	}
	return n
}

// due returns the waiting writes whose deadline is not after now.
func (q *fairQueue) due(now time.Time) []*waiter {
	var out []*waiter
	for _, f := range q.round {
		for _, w := range f.waiting {
			if !w.deadline.After(now) {
				out = append(out, w)
			}
		}
	}
	return out
}

// firstDeadline returns the earliest deadline of the waiting writes.
func (q *fairQueue) firstDeadline() (time.Time, bool) {
	var first time.Time
	for _, f := range q.round {
		for _, w := range f.waiting {
			if first.IsZero() || w.deadline.Before(first) {
				first = w.deadline
			}
		}
	}
	return first, !first.IsZero()
}
