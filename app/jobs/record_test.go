package jobs

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
)

func TestRecord(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	Handle(q, func(context.Context, *river.Job[testArgs]) error { return nil })

	received := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.FixedZone("X", 3600))
	d := Delivery{ID: "d-1", Event: "pull_request", Action: "opened", InstallationID: 42,
		Repository: "acme/web", Payload: []byte(`{"action":"opened"}`), ReceivedAt: received}
	dup, err := q.Record(context.Background(), d, testArgs{N: 1}, testArgs{N: 2})
	if err != nil || dup {
		t.Fatalf("Record = %v, %v", dup, err)
	}
	settle(t, q)
	var got Delivery
	var outcome string
	err = db.ReadOnly().QueryRow(`SELECT id, event, action, installation_id, repository, payload, received_at, outcome FROM deliveries`).
		Scan(&got.ID, &got.Event, &got.Action, &got.InstallationID, &got.Repository, &got.Payload, &got.ReceivedAt, &outcome)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != d.ID || got.Event != d.Event || got.Action != d.Action || got.InstallationID != 42 ||
		got.Repository != d.Repository || !bytes.Equal(got.Payload, d.Payload) || !got.ReceivedAt.Equal(received) || outcome != OutcomeQueued {
		t.Errorf("stored %+v outcome %q, want %+v queued", got, outcome, d)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM river_job WHERE state = 'available'`); n != 2 {
		t.Errorf("%d available jobs, want 2", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM delivery_jobs WHERE delivery_id = 'd-1' AND outcome IS NULL`); n != 2 {
		t.Errorf("%d tracked jobs, want 2", n)
	}

	dup, err = q.Record(context.Background(), d, testArgs{N: 3})
	if err != nil || !dup {
		t.Fatalf("second Record = %v, %v; want duplicate", dup, err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM river_job`); n != 2 {
		t.Errorf("duplicate inserted jobs: %d jobs, want 2", n)
	}
}

func TestRecordWithoutJobsIsIgnored(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	tests := []struct {
		name    string
		d       Delivery
		wantNil []string // columns stored as NULL
	}{
		{"bare", Delivery{ID: "ping-1", Event: "ping"}, []string{"action", "installation_id", "repository"}},
		{"full", Delivery{ID: "push-1", Event: "push", InstallationID: 1, Repository: "a/b", Payload: []byte("{}")}, []string{"action"}},
	}
	for _, tt := range tests {
		if _, err := q.Record(context.Background(), tt.d); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		settle(t, q)
		if outcome, processed := deliveryState(t, db, tt.d.ID); outcome != OutcomeIgnored || !processed {
			t.Errorf("%s: outcome %q processed %v, want ignored and processed", tt.name, outcome, processed)
		}
		for _, col := range tt.wantNil {
			if n := count(t, db, `SELECT COUNT(*) FROM deliveries WHERE id = ? AND `+col+` IS NULL`, tt.d.ID); n != 1 {
				t.Errorf("%s: %s is not NULL", tt.name, col)
			}
		}
	}
	if n := count(t, db, `SELECT COUNT(*) FROM deliveries WHERE payload IS NULL`); n != 0 {
		t.Errorf("an empty payload was stored as NULL")
	}
}

func TestRecordRefusesIncompleteDelivery(t *testing.T) {
	t.Parallel()
	q := newQueue(t, openDB(t, t.TempDir()), testOptions(t))
	for _, d := range []Delivery{{Event: "push"}, {ID: "x"}} {
		if _, err := q.Record(context.Background(), d); err == nil {
			t.Errorf("Record(%+v) succeeded", d)
		}
	}
}

// TestRecordConcurrentDuplicates sends one delivery id from many callers at
// once, which the writer batches together: exactly one caller stores it.
func TestRecordConcurrentDuplicates(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	Handle(q, func(context.Context, *river.Job[testArgs]) error { return nil })
	const callers = 32
	var wg sync.WaitGroup
	var mu sync.Mutex
	stored := 0
	for range callers {
		wg.Go(func() {
			dup, err := q.Record(context.Background(), Delivery{ID: "same", Event: "push"}, testArgs{})
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if !dup {
				stored++
			}
		})
	}
	wg.Wait()
	settle(t, q)
	if stored != 1 {
		t.Errorf("%d callers stored the delivery, want 1", stored)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM river_job`); n != 1 {
		t.Errorf("%d jobs, want 1", n)
	}
}

// unknownArgs has no worker, so Record refuses it.
type unknownArgs struct{}

func (unknownArgs) Kind() string { return "unknown" }

// TestRecordFailureIsolated mixes callers whose jobs River refuses with
// callers that are fine: only the former fail, and leave nothing behind.
func TestRecordFailureIsolated(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	Handle(q, func(context.Context, *river.Job[testArgs]) error { return nil })
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range errs {
		wg.Go(func() {
			var args river.JobArgs = testArgs{N: i}
			if i%4 == 0 {
				args = unknownArgs{}
			}
			_, errs[i] = q.Record(context.Background(), Delivery{ID: fmt.Sprint("d-", i), Event: "push"}, args)
		})
	}
	wg.Wait()
	settle(t, q)
	for i, err := range errs {
		if bad := i%4 == 0; bad != (err != nil) {
			t.Errorf("caller %d: err %v", i, err)
		} else if bad && !strings.Contains(err.Error(), "unknown") {
			t.Errorf("caller %d: err %v does not name the kind", i, err)
		}
	}
	if n := count(t, db, `SELECT COUNT(*) FROM deliveries`); n != 30 {
		t.Errorf("%d deliveries stored, want 30", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM river_job`); n != 30 {
		t.Errorf("%d jobs stored, want 30", n)
	}
}

// uniqueArgs is unique by args, so a second insert merges into the first.
type uniqueArgs struct{ Repo string }

func (uniqueArgs) Kind() string { return "unique" }

func (uniqueArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

func TestRecordMergedUniqueJob(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	Handle(q, func(context.Context, *river.Job[uniqueArgs]) error { return nil })
	record(t, q, "first", uniqueArgs{Repo: "a/b"})
	record(t, q, "second", uniqueArgs{Repo: "a/b"})
	if outcome, _ := deliveryState(t, db, "first"); outcome != OutcomeQueued {
		t.Errorf("first: outcome %q, want queued", outcome)
	}
	if outcome, processed := deliveryState(t, db, "second"); outcome != OutcomeIgnored || !processed {
		t.Errorf("second: outcome %q processed %v, want ignored", outcome, processed)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM river_job`); n != 1 {
		t.Errorf("%d jobs, want 1", n)
	}
}

func TestRecordAfterStop(t *testing.T) {
	t.Parallel()
	q := newQueue(t, openDB(t, t.TempDir()), testOptions(t))
	if err := q.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, err := q.Record(context.Background(), Delivery{ID: "late", Event: "push"})
	if !errors.Is(err, ErrStopped) {
		t.Errorf("Record after Stop: %v, want ErrStopped", err)
	}
}

// holdInbox occupies q's inbox writer until the returned function is
// called, so that Records sent meanwhile are committed as one batch.
func holdInbox(t *testing.T, q *Queue) func() {
	t.Helper()
	held, release := make(chan struct{}), make(chan struct{})
	go q.inbox.do(context.Background(), 0, func(context.Context, *sql.Tx) error {
		close(held)
		<-release
		return nil
	})
	<-held
	return func() { close(release) }
}

// recordAllAtOnce sends one Record per delivery while the inbox writer is
// held, then lets them commit together, waits for their dispatch (one
// batch too, as they reach the inbox together), and returns each one's
// duplicate flag.
func recordAllAtOnce(t *testing.T, q *Queue, deliveries []Delivery, args func(i int) river.JobArgs) []bool {
	t.Helper()
	release := holdInbox(t, q)
	dups := make([]bool, len(deliveries))
	var wg sync.WaitGroup
	for i, d := range deliveries {
		wg.Go(func() {
			var err error
			if dups[i], err = q.Record(context.Background(), d, args(i)); err != nil {
				t.Errorf("Record(%s): %v", d.ID, err)
			}
		})
	}
	waitFor(t, timeoutShort, "Records queued", func() bool { return len(q.inbox.ops) == len(deliveries) })
	release()
	wg.Wait()
	settle(t, q)
	return dups
}

func TestRecordGroupsCommits(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	reg := prometheus.NewRegistry()
	opts := testOptions(t)
	opts.Registerer = reg
	q := newQueue(t, db, opts)
	Handle(q, func(context.Context, *river.Job[testArgs]) error { return nil })
	deliveries := make([]Delivery, 20)
	for i := range deliveries {
		deliveries[i] = Delivery{ID: fmt.Sprint("d-", i), Event: "push"}
	}
	recordAllAtOnce(t, q, deliveries, func(i int) river.JobArgs { return testArgs{N: i} })
	if n := largestBatch(t, reg, "portico_inbox_commit_batch_size"); n < 20 {
		t.Errorf("largest inbox commit took at most %v ops, want all twenty in one", n)
	}
	if n := largestBatch(t, reg, "portico_db_commit_batch_size"); n > 1 {
		t.Errorf("a dispatch was split over commits of up to %v ops, want one op for the batch", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM delivery_jobs`); n != 20 {
		t.Errorf("%d tracked jobs, want 20", n)
	}
}

// largestBatch returns the smallest bucket bound that holds every
// observation of the histogram name: an upper bound on its largest batch.
func largestBatch(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		h := f.GetMetric()[0].GetHistogram()
		for _, b := range h.GetBucket() {
			if b.GetCumulativeCount() == h.GetSampleCount() {
				return b.GetUpperBound()
			}
		}
		return math.Inf(1)
	}
	t.Fatalf("no histogram %s", name)
	return 0
}

// TestRecordUniqueCollisionInBatch: two deliveries whose unique jobs are
// equal land in one batch; the second merges into the first's job (see
// insertCollapsed).
func TestRecordUniqueCollisionInBatch(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	Handle(q, func(context.Context, *river.Job[uniqueArgs]) error { return nil })
	deliveries := []Delivery{{ID: "a", Event: "push"}, {ID: "b", Event: "push"}}
	recordAllAtOnce(t, q, deliveries, func(int) river.JobArgs { return uniqueArgs{Repo: "a/b"} })
	outcomes := map[string]int{}
	for _, d := range deliveries {
		outcome, _ := deliveryState(t, db, d.ID)
		outcomes[outcome]++
	}
	if outcomes[OutcomeQueued] != 1 || outcomes[OutcomeIgnored] != 1 {
		t.Errorf("outcomes %v, want one queued and one ignored", outcomes)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM river_job`); n != 1 {
		t.Errorf("%d jobs, want 1", n)
	}
}
