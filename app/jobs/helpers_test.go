package jobs

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/portico-dev/portico/app/store"
)

// testArgs is the job kind most tests use.
type testArgs struct {
	N   int    `json:"n"`
	Key string `json:"key,omitempty"`
	// Attempts, when set, overrides MaxAttempts through InsertOpts.
	Attempts int `json:"attempts,omitempty"`
}

func (testArgs) Kind() string { return "test" }

func (a testArgs) SerializationKey() string { return a.Key }

func (a testArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: a.Attempts} }

// fastRetry retries after a few milliseconds, whatever the attempt.
type fastRetry struct{}

func (fastRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(10 * time.Millisecond) }

func testLogger(t testing.TB) *slog.Logger { return testLoggerTo(t.Output()) }

func testLoggerTo(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelError}))
}

// testOptions shortens River's intervals so tests run in milliseconds.
func testOptions(t testing.TB) Options {
	return Options{
		Logger:        testLogger(t),
		KeyBusySnooze: 20 * time.Millisecond,
		River: func(c *river.Config) {
			c.TestOnly = true
			c.FetchCooldown = 5 * time.Millisecond
			c.FetchPollInterval = 50 * time.Millisecond
			c.RetryPolicy = fastRetry{}
		},
	}
}

func openDB(t testing.TB, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), store.Options{DataDir: dir, Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newQueue builds a queue on db; register handlers, then start it with
// startQueue. Cleanup stops it.
func newQueue(t testing.TB, db *store.DB, opts Options) *Queue {
	t.Helper()
	q, err := New(db, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		q.Stop(ctx)
	})
	return q
}

func startQueue(t testing.TB, q *Queue) {
	t.Helper()
	if err := q.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
}

func record(t testing.TB, q *Queue, id string, jobs ...river.JobArgs) {
	t.Helper()
	dup, err := q.Record(context.Background(), Delivery{ID: id, Event: "push", Payload: []byte(`{}`)}, jobs...)
	if err != nil || dup {
		t.Fatalf("Record(%s) = %v, %v", id, dup, err)
	}
	settle(t, q)
}

// settle waits until q's inbox is empty: every accepted delivery is in
// portico.db with its jobs.
func settle(t testing.TB, q *Queue) {
	t.Helper()
	waitFor(t, timeoutShort, "the inbox to be dispatched", func() bool {
		return count(t, q.db, `SELECT COUNT(*) FROM inbox`) == 0
	})
}

// pauseDispatch stops q's dispatcher goroutine, so that accepted
// deliveries stay in the inbox; Stop still drains it.
func pauseDispatch(q *Queue) {
	d := q.dispatch
	close(d.quit)
	<-d.stopped
	d.quit = make(chan struct{})
}

// resumeDispatch restarts a paused dispatcher.
func resumeDispatch(q *Queue) {
	d := q.dispatch
	d.stopped = make(chan struct{})
	d.notify()
	go d.run()
}

// timeoutShort bounds waits for things that take milliseconds.
const timeoutShort = 5 * time.Second

func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// count runs a COUNT query on portico.db, or on the inbox if it names it.
func count(t testing.TB, db *store.DB, query string, args ...any) int {
	t.Helper()
	pool := db.ReadOnly()
	if strings.Contains(query, "FROM inbox") {
		pool = db.InboxReadOnly()
	}
	var n int
	if err := pool.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// deliveryState returns a delivery's outcome and whether it is processed.
func deliveryState(t testing.TB, db *store.DB, id string) (string, bool) {
	t.Helper()
	var outcome string
	var processed bool
	err := db.ReadOnly().QueryRow(`SELECT outcome, processed_at IS NOT NULL FROM deliveries WHERE id = ?`, id).Scan(&outcome, &processed)
	if err != nil {
		t.Fatalf("delivery %s: %v", id, err)
	}
	return outcome, processed
}
