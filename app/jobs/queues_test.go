package jobs

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
)

// interactiveArgs is a job someone waits on, on QueueInteractive.
type interactiveArgs struct{}

func (interactiveArgs) Kind() string { return "interactive" }

func (interactiveArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueInteractive}
}

// TestInteractiveQueueNotBlockedByBulk: with every worker of the default
// queue busy, a job of the interactive queue still runs at once.
func TestInteractiveQueueNotBlockedByBulk(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	opts := testOptions(t)
	opts.MaxWorkers = 2
	q := newQueue(t, db, opts)
	release := make(chan struct{})
	defer close(release)
	var bulk atomic.Int32
	Handle(q, func(context.Context, *river.Job[testArgs]) error {
		bulk.Add(1)
		<-release
		return nil
	})
	ran := make(chan struct{})
	Handle(q, func(context.Context, *river.Job[interactiveArgs]) error {
		close(ran)
		return nil
	})
	for i := range 3 {
		record(t, q, fmt.Sprint("bulk-", i), testArgs{N: i})
	}
	startQueue(t, q)
	waitFor(t, 10*time.Second, "the default queue's workers busy", func() bool { return bulk.Load() == 2 })
	record(t, q, "check", interactiveArgs{})
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("the interactive job waited behind the bulk jobs")
	}
	if n := bulk.Load(); n != 2 {
		t.Errorf("%d bulk jobs started, want 2 (MaxWorkers)", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM river_job WHERE kind = 'interactive' AND queue = ?`, QueueInteractive); n != 1 {
		t.Errorf("interactive job not on queue %q", QueueInteractive)
	}
}

// TestPrunePriority: the periodic prune job waits behind every other job.
func TestPrunePriority(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	startQueue(t, q)
	waitFor(t, 10*time.Second, "the prune job inserted", func() bool {
		return count(t, db, `SELECT COUNT(*) FROM river_job WHERE kind = 'portico.prune_deliveries'`) == 1
	})
	if n := count(t, db, `SELECT COUNT(*) FROM river_job WHERE kind = 'portico.prune_deliveries' AND priority = 4`); n != 1 {
		t.Error("prune job not at priority 4")
	}
}
