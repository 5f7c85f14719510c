package jobs

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
)

// newTestWriter returns a writer on a fresh database with a scratch table,
// and a function that blocks it until released, so that ops queued
// meanwhile land in one batch.
func newTestWriter(t *testing.T) (*writer, *sql.DB, func() func()) {
	t.Helper()
	db := openDB(t, t.TempDir()).SQL()
	if _, err := db.Exec(`CREATE TABLE scratch (v TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	w := newWriter(db, nil, 64, 1<<20, func(int) {})
	t.Cleanup(w.stop)
	block := func() func() {
		held, release := make(chan struct{}), make(chan struct{})
		go w.do(context.Background(), 0, func(context.Context, *sql.Tx) error {
			close(held)
			<-release
			return nil
		})
		<-held
		return func() { close(release) }
	}
	return w, db, block
}

func insertScratch(v string) func(context.Context, *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO scratch (v) VALUES (?)`, v)
		return err
	}
}

// TestWriterBatchIsolation puts ops that succeed, fail after writing,
// violate a constraint and panic into one batch: each gets its own result
// and only the successful ones' writes survive.
func TestWriterBatchIsolation(t *testing.T) {
	t.Parallel()
	w, db, block := newTestWriter(t)
	release := block()
	failAfterWrite := func(ctx context.Context, tx *sql.Tx) error {
		if err := insertScratch("rolled-back")(ctx, tx); err != nil {
			return err
		}
		return errors.New("changed my mind")
	}
	tests := []struct {
		name    string
		fn      func(context.Context, *sql.Tx) error
		wantErr string
	}{
		{"ok-1", insertScratch("a"), ""},
		{"fails after writing", failAfterWrite, "changed my mind"},
		{"duplicate key", insertScratch("a"), "UNIQUE constraint"},
		{"panics", func(context.Context, *sql.Tx) error { panic("boom") }, "panic in write: boom"},
		{"ok-2", insertScratch("b"), ""},
	}
	results := make([]chan error, len(tests))
	for i, tt := range tests {
		results[i] = make(chan error, 1)
		go func() { results[i] <- w.do(context.Background(), 0, tt.fn) }()
		waitFor(t, timeoutShort, "op queued", func() bool { return len(w.ops) == i+1 }) // in order
	}
	release()
	for i, tt := range tests {
		err := <-results[i]
		if (tt.wantErr == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: err %v, want %q", tt.name, err, tt.wantErr)
		}
	}
	var got []string
	rows, err := db.Query(`SELECT v FROM scratch ORDER BY v`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		rows.Scan(&v)
		got = append(got, v)
	}
	if strings.Join(got, ",") != "a,b" {
		t.Errorf("scratch holds %v, want [a b]", got)
	}
}

// TestWriterSkipsAbandonedOps: an op whose caller gave up before its turn
// is not written.
func TestWriterSkipsAbandonedOps(t *testing.T) {
	t.Parallel()
	w, db, block := newTestWriter(t)
	release := block()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.do(ctx, 0, insertScratch("abandoned")) }()
	waitFor(t, timeoutShort, "op queued", func() bool { return len(w.ops) == 1 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("do = %v, want context.Canceled", err)
	}
	release()
	if err := w.do(context.Background(), 0, insertScratch("later")); err != nil {
		t.Fatal(err)
	}
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM scratch WHERE v = 'abandoned'`).Scan(&n)
	if n != 0 {
		t.Error("an abandoned op was written")
	}
}

// TestWriterStopCommitsAccepted: ops accepted before stop are committed;
// ops after it are refused.
func TestWriterStopCommitsAccepted(t *testing.T) {
	t.Parallel()
	w, db, block := newTestWriter(t)
	release := block()
	done := make(chan error, 1)
	go func() { done <- w.do(context.Background(), 0, insertScratch("accepted")) }()
	waitFor(t, timeoutShort, "op queued", func() bool { return len(w.ops) == 1 })
	stopped := make(chan struct{})
	go func() {
		w.stop()
		close(stopped)
	}()
	release()
	<-stopped
	if err := <-done; err != nil {
		t.Errorf("accepted op: %v", err)
	}
	if err := w.do(context.Background(), 0, insertScratch("late")); !errors.Is(err, ErrStopped) {
		t.Errorf("op after stop: %v, want ErrStopped", err)
	}
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM scratch`).Scan(&n)
	if n != 1 {
		t.Errorf("%d rows, want the accepted one", n)
	}
}
