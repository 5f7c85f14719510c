package gh

import "context"

// Priority says how much a write is waited for. It decides which waiting
// write gets a free slot of the installation's write budget, and whether
// it may use the budget's reserve.
type Priority int

const (
	// Bulk is work nobody watches happen: catalog syncs, discovery,
	// template-upgrade fan-outs, periodic work. It may use three quarters
	// of each limit's window, and yields to Interactive writes. A context
	// without WithPriority is Bulk.
	Bulk Priority = iota
	// Interactive is work someone is waiting for: pull request checks,
	// replies to comments. It may use the whole window and is served
	// before any Bulk write.
	Interactive
	numPriorities
)

// String names the priority in metrics.
func (p Priority) String() string {
	if p == Interactive {
		return "interactive"
	}
	return "bulk"
}

type priorityKey struct{}

type priorityValue struct {
	p    Priority
	flow string
}

// WithPriority marks the requests made with the returned context as
// priority p, on behalf of flow: a key the job chooses (a pull request, a
// repository ...). Writes of one priority that wait are served
// round-robin across flows, so a flow with hundreds of writes queued
// cannot make another flow's single write wait behind all of them.
func WithPriority(ctx context.Context, p Priority, flow string) context.Context {
	return context.WithValue(ctx, priorityKey{}, priorityValue{p: p, flow: flow})
}

// priorityOf returns the priority and flow WithPriority set: Bulk and
// the empty flow when none was.
func priorityOf(ctx context.Context) (Priority, string) {
	v, _ := ctx.Value(priorityKey{}).(priorityValue)
	if v.p != Interactive {
		v.p = Bulk
	}
	return v.p, v.flow
}
