package jobs

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/store"
)

// kill9Env carries the data directory to the child process of TestKill9.
const kill9Env = "PORTICO_JOBS_KILL9_DIR"

// durableArgs is the job of the kill -9 test: it writes its id to results.
type durableArgs struct {
	Delivery string `json:"delivery"`
	Key      string `json:"key"`
}

func (durableArgs) Kind() string { return "durable" }

func (a durableArgs) SerializationKey() string { return a.Key }

const createResults = `CREATE TABLE IF NOT EXISTS results (job_id BIGINT PRIMARY KEY, delivery_id TEXT NOT NULL)`

// writeResult is the job's effect, idempotent so that a job run twice (its
// first run killed after the write) still counts once.
func writeResult(db *store.DB, delay time.Duration) func(context.Context, *river.Job[durableArgs]) error {
	return func(ctx context.Context, job *river.Job[durableArgs]) error {
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return ctx.Err()
		}
		_, err := db.SQL().ExecContext(ctx, `INSERT INTO results (job_id, delivery_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			job.ID, job.Args.Delivery)
		return err
	}
}

// kill9Options: leases and rescue short enough for a test, and River's
// stagger off. The rescuer still waits for the killed process's
// leadership to expire (about 15 s), which is most of the test's time.
func kill9Options(logger io.Writer) Options {
	return Options{
		Logger:               testLoggerTo(logger),
		MaxWorkers:           4,
		JobTimeout:           time.Second,
		RescueStuckJobsAfter: 2 * time.Second,
		KeyLease:             time.Second,
		KeyBusySnooze:        20 * time.Millisecond,
		River: func(c *river.Config) {
			c.TestOnly = true
			c.FetchCooldown = 5 * time.Millisecond
			c.FetchPollInterval = 50 * time.Millisecond
			c.RetryPolicy = fastRetry{}
		},
	}
}

// TestKill9 records deliveries and works their jobs slowly in a child
// process, kills it with SIGKILL mid-way, and then checks that a new
// process on the same database completes every recorded delivery's job
// with exactly one effect, and that every delivery the child acknowledged
// was on disk.
func TestKill9(t *testing.T) {
	if dir := os.Getenv(kill9Env); dir != "" {
		kill9Child(dir)
		return
	}
	t.Parallel()
	dir, db := openResultsDB(t)
	acked, running := runAndKill(t, dir, db)
	t.Logf("killed with %d deliveries acknowledged, %d jobs running", len(acked), running)
	if running == 0 {
		t.Error("no job was running at the kill: the rescue path went untested")
	}
	for _, id := range acked {
		stored := count(t, db, `SELECT COUNT(*) FROM deliveries WHERE id = ?`, id)
		inbox := count(t, db, `SELECT COUNT(*) FROM inbox WHERE id = ?`, id)
		if stored+inbox != 1 {
			t.Errorf("delivery %s was acknowledged but is stored %d times and in the inbox %d times", id, stored, inbox)
		}
	}

	q := newQueue(t, db, kill9Options(t.Output()))
	Handle(q, writeResult(db, 0))
	startQueue(t, q)
	waitFor(t, 50*time.Second, "every delivery processed", func() bool {
		return count(t, db, `SELECT COUNT(*) FROM deliveries WHERE processed_at IS NULL`) == 0 &&
			count(t, db, `SELECT COUNT(*) FROM inbox`) == 0
	})
	total := count(t, db, `SELECT COUNT(*) FROM deliveries`)
	waitFor(t, timeoutShort, "River to record every completion", func() bool {
		return count(t, db, `SELECT COUNT(*) FROM river_job WHERE kind = 'durable' AND state = 'completed'`) == total
	})
	checks := []struct {
		what  string
		query string
	}{
		{"completed deliveries", `SELECT COUNT(*) FROM deliveries WHERE outcome = 'completed'`},
		{"results", `SELECT COUNT(*) FROM results`},
		{"deliveries with their result", `SELECT COUNT(*) FROM deliveries d JOIN results r ON r.delivery_id = d.id`},
		{"completed jobs", `SELECT COUNT(*) FROM river_job WHERE kind = 'durable' AND state = 'completed'`},
	}
	for _, c := range checks {
		if n := count(t, db, c.query); n != total {
			t.Errorf("%s: %d, want %d (one per recorded delivery)", c.what, n, total)
		}
	}
}

// runAndKill starts the child, kills it once some jobs have finished, and
// returns the delivery ids it acknowledged and how many jobs were running.
func runAndKill(t *testing.T, dir string, db *store.DB) ([]string, int) {
	cmd, stdout := startChild(t, "TestKill9", kill9Env+"="+dir)
	var acked []string
	var wg sync.WaitGroup
	wg.Go(func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			if id, ok := strings.CutPrefix(scanner.Text(), "acked "); ok {
				acked = append(acked, id)
			}
		}
	})
	waitFor(t, 30*time.Second, "the child to finish some jobs", func() bool {
		return count(t, db, `SELECT COUNT(*) FROM results`) >= 15
	})
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	wg.Wait()
	return acked, count(t, db, `SELECT COUNT(*) FROM river_job WHERE state = 'running'`)
}

// kill9Child is the child process: it records deliveries from several
// goroutines, printing each id once Record has returned, while four
// workers take 100 ms a job. It never returns; the parent kills it.
func kill9Child(dir string) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: dir, Logger: testLoggerTo(os.Stderr)})
	if err != nil {
		panic(err)
	}
	q, err := New(db, kill9Options(os.Stderr))
	if err != nil {
		panic(err)
	}
	Handle(q, writeResult(db, 100*time.Millisecond))
	if err := q.Start(ctx); err != nil {
		panic(err)
	}
	var out sync.Mutex
	for g := range 6 {
		go func() {
			for i := range 25 {
				id := fmt.Sprintf("d-%d-%d", g, i)
				args := durableArgs{Delivery: id, Key: fmt.Sprint("repo:acme/", i%4)}
				if _, err := q.Record(ctx, Delivery{ID: id, Event: "push", Payload: []byte(`{}`)}, args); err != nil {
					panic(err)
				}
				out.Lock()
				fmt.Println("acked", id)
				out.Unlock()
				time.Sleep(60 * time.Millisecond)
			}
		}()
	}
	select {}
}

// startChild re-runs this test binary as a child running only test, with
// env added, and returns it with its standard output; it is killed at
// cleanup if still running.
func startChild(t *testing.T, test, env string) (*exec.Cmd, io.Reader) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$")
	cmd.Env = append(os.Environ(), env)
	cmd.Stderr = t.Output()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return cmd, stdout
}

// openResultsDB opens a database in a new directory with the results table
// the kill -9 children write their jobs' effects to.
func openResultsDB(t *testing.T) (string, *store.DB) {
	t.Helper()
	dir := t.TempDir()
	db := openDB(t, dir)
	if _, err := db.SQL().Exec(createResults); err != nil {
		t.Fatal(err)
	}
	return dir, db
}
