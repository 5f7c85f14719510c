package jobs

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// followArgs is a follow-up job, unique by args while it waits.
type followArgs struct {
	Name string `json:"name"`
}

func (followArgs) Kind() string { return "follow" }

func (followArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Priority: 4, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateScheduled,
	}}}
}

// TestInsertFromAHandler: a job inserts follow-up jobs; inserting them
// again while they wait (a retried handler) adds nothing, and they run.
func TestInsertFromAHandler(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	release := make(chan struct{})
	var mu sync.Mutex
	var ran []string
	Handle(q, func(ctx context.Context, job *river.Job[testArgs]) error {
		for range 2 {
			if err := q.Insert(ctx, followArgs{"a"}, followArgs{"b"}); err != nil {
				return err
			}
		}
		return nil
	})
	Handle(q, func(_ context.Context, job *river.Job[followArgs]) error {
		<-release
		mu.Lock()
		ran = append(ran, job.Args.Name)
		mu.Unlock()
		return nil
	})
	record(t, q, "d", testArgs{N: 1})
	startQueue(t, q)
	waitFor(t, 10*time.Second, "follow-up jobs inserted", func() bool {
		return count(t, db, `SELECT COUNT(*) FROM river_job WHERE kind = 'test' AND state = 'completed'`) == 1
	})
	if n := count(t, db, `SELECT COUNT(*) FROM river_job WHERE kind = 'follow' AND priority = 4`); n != 2 {
		t.Fatalf("%d follow-up jobs of priority 4, want 2: the repeated insert must be skipped", n)
	}
	// The follow-up jobs are not the delivery's: it is settled while they
	// still wait.
	waitFor(t, 10*time.Second, "the delivery settled", func() bool {
		_, processed := deliveryState(t, db, "d")
		return processed
	})
	close(release)
	waitFor(t, 10*time.Second, "follow-up jobs run", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(ran) == 2
	})
}

func TestInsertRefusesKindsWithoutWorker(t *testing.T) {
	t.Parallel()
	q := newQueue(t, openDB(t, t.TempDir()), testOptions(t))
	err := q.Insert(context.Background(), followArgs{"a"})
	if err == nil || !strings.Contains(err.Error(), `"follow" has no worker`) {
		t.Errorf("Insert of an unhandled kind = %v", err)
	}
	if err := q.Insert(context.Background()); err != nil {
		t.Errorf("Insert of nothing = %v", err)
	}
}
