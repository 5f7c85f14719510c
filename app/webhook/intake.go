package webhook

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

// Default limits on bodies in flight, that is, bodies being read or whose
// signature is not yet checked. /webhooks faces the internet: without
// them, 32 unsigned 25 MB requests took 1.5 GB.
const (
	// DefaultMemoryBudget is what the bodies held in memory may add up to,
	// process-wide.
	DefaultMemoryBudget = 64 << 20
	// DefaultMemoryBodyMax is the largest body kept in memory; larger ones
	// go to a file even when memory is free, so that a few bodies cannot
	// spend the whole budget. GitHub's payloads are mostly tens of KB.
	DefaultMemoryBodyMax = 1 << 20
	// DefaultDiskBudget is what the bodies spilled to files may add up to;
	// past it a delivery is refused with 503 and Retry-After.
	DefaultDiskBudget = 512 << 20
	// DefaultMaxInFlight bounds the requests reading a body at once: each
	// holds a read buffer and a goroutine whatever its size.
	DefaultMaxInFlight = 512
	// ReadWindow is how long a request has, from its start, to send its
	// body. GitHub gives up on a delivery after 10 s (GHES 30 s), so a
	// slower body is no delivery worth waiting for, only a held slot.
	ReadWindow = 30 * time.Second
	// RetryAfter is the Retry-After of a 503.
	RetryAfter = 5 * time.Second
)

// spillPrefix names the files bodies spill to, so that NewIntake removes
// only its own leftovers.
const spillPrefix = "body-"

// Limits bound the bodies in flight.
type Limits struct {
	Memory, MemoryBody, Disk int64
	InFlight                 int64
}

// DefaultLimits are the Default* constants.
func DefaultLimits() Limits {
	return Limits{Memory: DefaultMemoryBudget, MemoryBody: DefaultMemoryBodyMax, Disk: DefaultDiskBudget, InFlight: DefaultMaxInFlight}
}

// Intake holds the budgets that every request's body draws from, and the
// directory bodies spill to. One Intake serves the whole process.
type Intake struct {
	dir      string
	lim      Limits
	mem      budget
	disk     budget
	inFlight budget
}

// NewIntake returns an Intake that spills bodies into dir, created 0700 if
// missing, and removes what a crash left there.
func NewIntake(dir string, lim Limits) (*Intake, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create webhook spill directory: %w", err)
	}
	leftovers, err := filepath.Glob(filepath.Join(dir, spillPrefix+"*"))
	if err != nil {
		return nil, fmt.Errorf("list webhook spill directory: %w", err)
	}
	for _, f := range leftovers {
		if err := os.Remove(f); err != nil {
			return nil, fmt.Errorf("remove leftover webhook body: %w", err)
		}
	}
	return newIntake(dir, lim), nil
}

// newIntake spills into dir ("" is the system's temporary directory) and
// touches nothing there.
func newIntake(dir string, lim Limits) *Intake {
	in := &Intake{dir: dir, lim: lim}
	in.mem.limit, in.disk.limit, in.inFlight.limit = lim.Memory, lim.Disk, lim.InFlight
	return in
}

// InMemory and OnDisk say how many bytes of bodies in flight the intake
// holds now, for metrics.
func (in *Intake) InMemory() int64 { return in.mem.used.Load() }

// OnDisk: see InMemory.
func (in *Intake) OnDisk() int64 { return in.disk.used.Load() }

// budget is a count that takes never exceed limit. It never waits: a
// request that finds it spent is spilled or refused at once, since
// waiting would hold the connection and its memory all the same.
type budget struct {
	limit int64
	used  atomic.Int64
}

func (b *budget) take(n int64) bool {
	for {
		u := b.used.Load()
		if u+n > b.limit {
			return false
		}
		if b.used.CompareAndSwap(u, u+n) {
			return true
		}
	}
}

func (b *budget) give(n int64) { b.used.Add(-n) }

var (
	// errBusy is a body the budgets have no room for: 503, try later.
	errBusy = errors.New("busy: no room for the body now")
	// errTooBig is a body over MaxBodyBytes: 413.
	errTooBig = errors.New("payload over 25 MB")
)
