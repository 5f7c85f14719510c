package jobs

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/store"
)

// TestRecordDuplicates: a redelivery is a duplicate while its first copy
// waits in the inbox and after it has been dispatched, and either way the
// delivery's job exists once.
func TestRecordDuplicates(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	Handle(q, func(context.Context, *river.Job[testArgs]) error { return nil })
	pauseDispatch(q)
	recordDup := func(want bool, when string) {
		t.Helper()
		dup, err := q.Record(context.Background(), Delivery{ID: "d", Event: "push"}, testArgs{N: 1})
		if err != nil || dup != want {
			t.Fatalf("Record %s = %v, %v; want duplicate %v", when, dup, err, want)
		}
	}
	recordDup(false, "first")
	recordDup(true, "while in the inbox")
	if n := count(t, db, `SELECT COUNT(*) FROM deliveries`); n != 0 {
		t.Fatalf("%d deliveries dispatched while paused", n)
	}
	resumeDispatch(q)
	settle(t, q)
	recordDup(true, "after dispatch")
	settle(t, q)
	for _, c := range []string{
		`SELECT COUNT(*) FROM deliveries`,
		`SELECT COUNT(*) FROM river_job`,
		`SELECT COUNT(*) FROM delivery_jobs`,
	} {
		if n := count(t, db, c); n != 1 {
			t.Errorf("%s = %d, want 1", c, n)
		}
	}
}

// TestDispatchIdempotent: a process that stored a batch in portico.db and
// died before deleting it from the inbox leaves rows that the next pass
// drops without inserting their jobs again.
func TestDispatchIdempotent(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	Handle(q, func(context.Context, *river.Job[testArgs]) error { return nil })
	pauseDispatch(q)
	for i := range 3 {
		if _, err := q.Record(context.Background(), Delivery{ID: fmt.Sprint("d-", i), Event: "push"}, testArgs{N: i}, testArgs{N: 10 + i}); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	recs, err := q.dispatch.read(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	ops := make([]*op, len(recs))
	for i, r := range recs {
		ops[i] = &op{ctx: ctx, rec: r}
		r.params, ops[i].err = q.decodeJobs(r.jobs)
	}
	if done, err := q.dispatch.store(ctx, ops); err != nil || len(done) != 3 {
		t.Fatalf("store = %v, %v; want 3 stored", done, err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM inbox`); n != 3 {
		t.Fatalf("inbox holds %d, want the 3 the crash left", n)
	}
	resumeDispatch(q)
	settle(t, q)
	if n := count(t, db, `SELECT COUNT(*) FROM river_job`); n != 6 {
		t.Errorf("%d jobs, want 6 (two per delivery, once)", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM delivery_jobs`); n != 6 {
		t.Errorf("%d tracked jobs, want 6", n)
	}
}

// TestDispatchHoldsFailures: an inbox row that cannot be dispatched (its
// job kind lost its worker across a restart) stays in the inbox without
// holding up the others.
func TestDispatchHoldsFailures(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	_, err := db.Inbox().Exec(`INSERT INTO inbox (id, event, payload, received_at, jobs) VALUES ('stuck', 'push', x'', ?, ?)`,
		time.Now().UTC(), `[{"kind":"gone","args":{}}]`)
	if err != nil {
		t.Fatal(err)
	}
	q := newQueue(t, db, testOptions(t))
	Handle(q, func(context.Context, *river.Job[testArgs]) error { return nil })
	startQueue(t, q)
	if _, err := q.Record(context.Background(), Delivery{ID: "fine", Event: "push"}, testArgs{}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, timeoutShort, "fine dispatched", func() bool {
		return count(t, db, `SELECT COUNT(*) FROM inbox WHERE id = 'fine'`) == 0
	})
	if n := count(t, db, `SELECT COUNT(*) FROM deliveries WHERE id = 'fine'`); n != 1 {
		t.Errorf("fine: %d deliveries stored, want 1", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM inbox WHERE id = 'stuck'`); n != 1 {
		t.Errorf("stuck left the inbox")
	}
}

// kill9InboxEnv carries the data directory to the child of
// TestKill9BeforeDispatch.
const kill9InboxEnv = "PORTICO_JOBS_KILL9_INBOX_DIR"

// TestKill9BeforeDispatch kills a process whose deliveries are accepted
// but not yet dispatched, and checks that the next process stores every
// acknowledged delivery and runs each one's job once.
func TestKill9BeforeDispatch(t *testing.T) {
	if dir := os.Getenv(kill9InboxEnv); dir != "" {
		acceptAndWait(dir)
		return
	}
	t.Parallel()
	dir, db := openResultsDB(t)
	acked := acceptAndKill(t, dir)
	if len(acked) == 0 {
		t.Fatal("the child acknowledged nothing")
	}
	if n := count(t, db, `SELECT COUNT(*) FROM inbox`); n != len(acked) {
		t.Errorf("inbox holds %d, want the %d acknowledged", n, len(acked))
	}
	if n := count(t, db, `SELECT COUNT(*) FROM deliveries`); n != 0 {
		t.Errorf("%d deliveries dispatched by a paused dispatcher", n)
	}

	q := newQueue(t, db, testOptions(t))
	Handle(q, writeResult(db, 0))
	startQueue(t, q)
	waitFor(t, 10*time.Second, "every delivery processed", func() bool {
		return count(t, db, `SELECT COUNT(*) FROM deliveries WHERE outcome = 'completed'`) == len(acked)
	})
	for _, id := range acked {
		if n := count(t, db, `SELECT COUNT(*) FROM results WHERE delivery_id = ?`, id); n != 1 {
			t.Errorf("delivery %s: %d results, want 1", id, n)
		}
	}
	if n := count(t, db, `SELECT COUNT(*) FROM river_job WHERE kind = 'durable'`); n != len(acked) {
		t.Errorf("%d jobs, want %d", n, len(acked))
	}
	if n := count(t, db, `SELECT COUNT(*) FROM inbox`); n != 0 {
		t.Errorf("inbox still holds %d", n)
	}
}

// acceptAndKill runs the child until it has acknowledged its deliveries,
// kills it with SIGKILL, and returns the ids it acknowledged.
func acceptAndKill(t *testing.T, dir string) []string {
	cmd, stdout := startChild(t, "TestKill9BeforeDispatch", kill9InboxEnv+"="+dir)
	var acked []string
	scanner := bufio.NewScanner(stdout)
	for scanner.Scan() && scanner.Text() != "done" {
		if id, ok := strings.CutPrefix(scanner.Text(), "acked "); ok {
			acked = append(acked, id)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	return acked
}

// acceptAndWait is the child: with its dispatcher paused, it accepts
// deliveries, printing each id once Record has returned, then waits to be
// killed.
func acceptAndWait(dir string) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: dir, Logger: testLoggerTo(os.Stderr)})
	if err != nil {
		panic(err)
	}
	q, err := New(db, Options{Logger: testLoggerTo(os.Stderr)})
	if err != nil {
		panic(err)
	}
	Handle(q, writeResult(db, 0))
	pauseDispatch(q)
	for i := range 20 {
		id := fmt.Sprint("d-", i)
		args := durableArgs{Delivery: id, Key: fmt.Sprint("repo:acme/", i%4)}
		if _, err := q.Record(ctx, Delivery{ID: id, Event: "push", Payload: []byte(`{}`)}, args); err != nil {
			panic(err)
		}
		fmt.Println("acked", id)
	}
	fmt.Println("done")
	select {}
}
