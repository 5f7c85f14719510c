package jobs

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
)

func TestReady(t *testing.T) {
	t.Parallel()
	q := newQueue(t, openDB(t, t.TempDir()), testOptions(t))
	Handle(q, func(context.Context, *river.Job[testArgs]) error { return nil })
	ctx := context.Background()
	if err := q.Ready(ctx); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Ready before Start = %v, want ErrNotRunning", err)
	}
	startQueue(t, q)
	if err := q.Ready(ctx); err != nil {
		t.Errorf("Ready after Start = %v", err)
	}
	if err := q.Start(ctx); err == nil {
		t.Error("second Start succeeded")
	}
	if err := q.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := q.Ready(ctx); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Ready after Stop = %v, want ErrNotRunning", err)
	}
	if err := q.Stop(ctx); err != nil {
		t.Errorf("second Stop = %v", err)
	}
}

// TestStopDrains: a job running when Stop is called finishes, and is
// recorded as completed, within Stop's deadline.
func TestStopDrains(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	started := make(chan struct{})
	Handle(q, func(ctx context.Context, _ *river.Job[testArgs]) error {
		close(started)
		time.Sleep(300 * time.Millisecond)
		return ctx.Err()
	})
	startQueue(t, q)
	record(t, q, "d", testArgs{})
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := q.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if outcome, processed := deliveryState(t, db, "d"); outcome != OutcomeCompleted || !processed {
		t.Errorf("after Stop: outcome %q processed %v, want completed", outcome, processed)
	}
}

// TestStopInterrupts: a job still running at Stop's deadline is cancelled,
// snoozed without spending an attempt, and runs on the next start.
func TestStopInterrupts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := openDB(t, dir)
	q := newQueue(t, db, testOptions(t))
	started := make(chan struct{})
	Handle(q, func(ctx context.Context, _ *river.Job[testArgs]) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	})
	startQueue(t, q)
	record(t, q, "d", testArgs{Key: "repo:a/b"})
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := q.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	var state string
	var attempt int
	if err := db.ReadOnly().QueryRow(`SELECT state, attempt FROM river_job WHERE kind = 'test'`).Scan(&state, &attempt); err != nil {
		t.Fatal(err)
	}
	if state != "available" || attempt != 0 {
		t.Fatalf("interrupted job is %s after %d attempts, want available after 0", state, attempt)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM job_keys`); n != 0 {
		t.Errorf("interrupted job kept its key")
	}

	again := newQueue(t, openDB(t, dir), testOptions(t))
	Handle(again, func(context.Context, *river.Job[testArgs]) error { return nil })
	startQueue(t, again)
	waitFor(t, 10*time.Second, "delivery processed on restart", func() bool {
		outcome, _ := deliveryState(t, db, "d")
		return outcome == OutcomeCompleted
	})
}
