package jobs

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
)

func TestJobsSettleDelivery(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	var ran atomic.Int32
	Handle(q, func(context.Context, *river.Job[testArgs]) error {
		ran.Add(1)
		return nil
	})
	record(t, q, "d", testArgs{N: 1}, testArgs{N: 2})
	startQueue(t, q)
	waitFor(t, 10*time.Second, "delivery processed", func() bool {
		_, processed := deliveryState(t, db, "d")
		return processed
	})
	if outcome, _ := deliveryState(t, db, "d"); outcome != OutcomeCompleted {
		t.Errorf("outcome %q, want completed", outcome)
	}
	if ran.Load() != 2 {
		t.Errorf("handler ran %d times, want 2", ran.Load())
	}
	// River records completion just after the delivery is settled.
	waitFor(t, timeoutShort, "jobs completed", func() bool {
		return count(t, db, `SELECT COUNT(*) FROM river_job WHERE kind = 'test' AND state = 'completed'`) == 2
	})
	if n := count(t, db, `SELECT COUNT(*) FROM delivery_jobs`); n != 0 {
		t.Errorf("delivery_jobs keeps %d rows of a settled delivery", n)
	}
}

// TestJobEndings runs one job per row to its end and checks River's state
// for the job and portico's for its delivery.
func TestJobEndings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		attempts     int // MaxAttempts through the args' InsertOpts
		fail         func(attempt int) error
		wantState    string
		wantAttempts int
		wantOutcome  string
	}{
		{"retries then completes", 0, func(a int) error {
			if a < 3 {
				return errors.New("transient")
			}
			return nil
		}, "completed", 3, OutcomeCompleted},
		{"cancelled", 0, func(int) error { return river.JobCancel(errors.New("malformed payload")) }, "cancelled", 1, OutcomeFailed},
		{"out of attempts", 2, func(int) error { return errors.New("always") }, "discarded", 2, OutcomeFailed},
		{"panics", 1, func(int) error { panic("boom") }, "discarded", 1, OutcomeFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := openDB(t, t.TempDir())
			q := newQueue(t, db, testOptions(t))
			Handle(q, func(_ context.Context, job *river.Job[testArgs]) error { return tt.fail(job.Attempt) })
			record(t, q, "d", testArgs{Attempts: tt.attempts})
			startQueue(t, q)
			waitFor(t, 10*time.Second, "delivery processed", func() bool {
				_, processed := deliveryState(t, db, "d")
				return processed
			})
			waitFor(t, 5*time.Second, "job finalized", func() bool {
				return count(t, db, `SELECT COUNT(*) FROM river_job WHERE state = ? AND attempt = ?`, tt.wantState, tt.wantAttempts) == 1
			})
			if outcome, _ := deliveryState(t, db, "d"); outcome != tt.wantOutcome {
				t.Errorf("outcome %q, want %q", outcome, tt.wantOutcome)
			}
		})
	}
}

// TestMixedOutcomesFail: one job completes, one is cancelled: the
// delivery is settled only after both, as failed.
func TestMixedOutcomesFail(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	release := make(chan struct{})
	Handle(q, func(_ context.Context, job *river.Job[testArgs]) error {
		if job.Args.N == 1 {
			return river.JobCancel(errors.New("no"))
		}
		<-release
		return nil
	})
	record(t, q, "d", testArgs{N: 1}, testArgs{N: 2})
	startQueue(t, q)
	waitFor(t, 10*time.Second, "cancelled job", func() bool {
		return count(t, db, `SELECT COUNT(*) FROM river_job WHERE state = 'cancelled'`) == 1
	})
	if _, processed := deliveryState(t, db, "d"); processed {
		t.Fatal("delivery processed while a job is still running")
	}
	close(release)
	waitFor(t, 10*time.Second, "delivery processed", func() bool {
		_, processed := deliveryState(t, db, "d")
		return processed
	})
	if outcome, _ := deliveryState(t, db, "d"); outcome != OutcomeFailed {
		t.Errorf("outcome %q, want failed", outcome)
	}
}

// keyTracker records, across workers, how jobs on each key overlapped.
type keyTracker struct {
	mu          sync.Mutex
	running     map[string]int
	parallel    int // jobs running now, any key
	maxParallel int
	overlaps    int // jobs that started while another held their key
	done        int
}

func (k *keyTracker) work(_ context.Context, job *river.Job[testArgs]) error {
	k.mu.Lock()
	k.running[job.Args.Key]++
	if k.running[job.Args.Key] > 1 {
		k.overlaps++
	}
	k.parallel++
	k.maxParallel = max(k.maxParallel, k.parallel)
	k.mu.Unlock()
	time.Sleep(15 * time.Millisecond)
	k.mu.Lock()
	defer k.mu.Unlock()
	k.running[job.Args.Key]--
	k.parallel--
	k.done++
	return nil
}

// TestSerializationAcrossQueues runs two queues, as two processes would,
// on one database file, and checks that no two jobs with one key overlap.
func TestSerializationAcrossQueues(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tracker := &keyTracker{running: map[string]int{}}
	const processes, jobs = 2, 36
	var queues []*Queue
	for range processes {
		opts := testOptions(t)
		opts.MaxWorkers = 6
		q := newQueue(t, openDB(t, dir), opts)
		Handle(q, tracker.work)
		queues = append(queues, q)
	}
	for i := range jobs {
		record(t, queues[i%processes], fmt.Sprint("d-", i), testArgs{N: i, Key: fmt.Sprint("repo:acme/", i%3)})
	}
	for _, q := range queues {
		startQueue(t, q)
	}
	db := openDB(t, dir)
	waitFor(t, 30*time.Second, "all deliveries processed", func() bool {
		return count(t, db, `SELECT COUNT(*) FROM deliveries WHERE processed_at IS NOT NULL`) == jobs
	})
	tracker.mu.Lock()
	defer tracker.mu.Unlock()
	if tracker.done != jobs || tracker.overlaps != 0 || tracker.maxParallel < 2 {
		t.Errorf("%d of %d jobs ran, %d overlapping on a key, at most %d at once (want > 1)",
			tracker.done, jobs, tracker.overlaps, tracker.maxParallel)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM job_keys`); n != 0 {
		t.Errorf("%d leases left after all jobs finished", n)
	}
}

// TestExpiredLeaseFreesKey: a lease left by a dead process blocks its key
// until lease_until, then the key frees itself.
func TestExpiredLeaseFreesKey(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	expires := time.Now().Add(700 * time.Millisecond)
	if _, err := db.SQL().Exec(`INSERT INTO job_keys (key, job_id, lease_until) VALUES ('repo:a/b', 999999, ?)`, expires.UnixMilli()); err != nil {
		t.Fatal(err)
	}
	q := newQueue(t, db, testOptions(t))
	var ranAt atomic.Int64
	Handle(q, func(context.Context, *river.Job[testArgs]) error {
		ranAt.Store(time.Now().UnixMilli())
		return nil
	})
	record(t, q, "d", testArgs{Key: "repo:a/b"})
	startQueue(t, q)
	waitFor(t, 10*time.Second, "job ran", func() bool { return ranAt.Load() != 0 })
	if ran := time.UnixMilli(ranAt.Load()); ran.Before(expires) {
		t.Errorf("job ran at %s, before the dead lease expired at %s", ran, expires)
	}
	if n := count(t, db, `SELECT attempt FROM river_job`); n != 1 {
		t.Errorf("attempt = %d after snoozes, want 1: snoozing must not count", n)
	}
}

// TestLeaseRenewedWhileRunning: a job that outlives several lease lengths
// keeps its key, so the next job on the key waits for it.
func TestLeaseRenewedWhileRunning(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	opts := testOptions(t)
	opts.KeyLease = 150 * time.Millisecond
	q := newQueue(t, db, opts)
	var firstEnd, secondStart atomic.Int64
	started := make(chan struct{})
	Handle(q, func(_ context.Context, job *river.Job[testArgs]) error {
		if job.Args.N == 1 {
			close(started)
			time.Sleep(700 * time.Millisecond)
			firstEnd.Store(time.Now().UnixNano())
			return nil
		}
		secondStart.Store(time.Now().UnixNano())
		return nil
	})
	startQueue(t, q)
	record(t, q, "first", testArgs{N: 1, Key: "pr:a/b@1"})
	<-started
	record(t, q, "second", testArgs{N: 2, Key: "pr:a/b@1"})
	waitFor(t, 10*time.Second, "second job", func() bool { return secondStart.Load() != 0 })
	if secondStart.Load() < firstEnd.Load() {
		t.Error("second job started while the first still held the key")
	}
}

// TestLeaseLostCancelsJob: when another holder takes the key (the lease
// could not be renewed), the running job's context ends with ErrLeaseLost.
func TestLeaseLostCancelsJob(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	opts := testOptions(t)
	opts.KeyLease = 150 * time.Millisecond
	q := newQueue(t, db, opts)
	started := make(chan struct{}, 1)
	cause := make(chan error, 1)
	Handle(q, func(ctx context.Context, job *river.Job[testArgs]) error {
		if job.Attempt > 1 {
			return nil
		}
		started <- struct{}{}
		<-ctx.Done()
		cause <- context.Cause(ctx)
		return ctx.Err()
	})
	startQueue(t, q)
	record(t, q, "d", testArgs{Key: "k"})
	<-started
	if _, err := db.SQL().Exec(`UPDATE job_keys SET job_id = 424242 WHERE key = 'k'`); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-cause:
		if !errors.Is(err, ErrLeaseLost) {
			t.Errorf("cause %v, want ErrLeaseLost", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("job kept running without its lease")
	}
}

func TestHandleAfterStartPanics(t *testing.T) {
	t.Parallel()
	q := newQueue(t, openDB(t, t.TempDir()), testOptions(t))
	startQueue(t, q)
	defer func() {
		if recover() == nil {
			t.Error("Handle after Start did not panic")
		}
	}()
	Handle(q, func(context.Context, *river.Job[testArgs]) error { return nil })
}
