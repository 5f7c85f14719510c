package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
)

// ErrStopped is returned by Record, and by any write, once Stop has begun.
var ErrStopped = errors.New("jobs: queue stopped")

// op is one caller's part of a group commit: either fn, run alone in a
// savepoint, or rec, a delivery recorded together with the batch's others.
type op struct {
	ctx  context.Context
	fn   func(ctx context.Context, tx *sql.Tx) error
	rec  *recording
	size int
	err  error
	done chan struct{}
}

// recordBatch writes a batch's recordings in tx, setting each op's own
// error; its error is the transaction's.
type recordBatch func(ctx context.Context, tx *sql.Tx, ops []*op) error

// writer is the group committer: one goroutine that owns every portico
// write. While a commit is being fsynced, new ops queue in the channel; the
// next loop takes all of them (up to maxBatch ops or maxBytes of payload)
// into one transaction. Batching is thus exactly as deep as the load needs:
// an idle writer commits a lone op at once, a busy one amortises its fsync.
type writer struct {
	db       *sql.DB
	record   recordBatch
	ops      chan *op
	maxBatch int
	maxBytes int
	observe  func(batch int)

	mu      sync.RWMutex // held for reading while sending, so stop can close the door
	closed  bool
	quit    chan struct{}
	stopped chan struct{}
}

func newWriter(db *sql.DB, record recordBatch, maxBatch, maxBytes int, observe func(int)) *writer {
	w := &writer{
		db:       db,
		record:   record,
		ops:      make(chan *op, maxBatch),
		maxBatch: maxBatch,
		maxBytes: maxBytes,
		observe:  observe,
		quit:     make(chan struct{}),
		stopped:  make(chan struct{}),
	}
	go w.run()
	return w
}

// do runs fn inside the next group commit and returns once that commit has
// finished: nil means fn's writes are durable. size is what fn adds to the
// transaction, in bytes, for the batch bound. If ctx ends first, do returns
// ctx's error, and fn may still commit.
func (w *writer) do(ctx context.Context, size int, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return w.submit(&op{ctx: ctx, fn: fn, size: size, done: make(chan struct{})})
}

// submit queues o and waits for its commit, as do describes.
func (w *writer) submit(o *op) error {
	ctx := o.ctx
	if err := w.send(ctx, o); err != nil {
		return err
	}
	select {
	case <-o.done:
		return o.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *writer) send(ctx context.Context, o *op) error {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return ErrStopped
	}
	select {
	case w.ops <- o:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// stop refuses new ops, commits those already accepted, and waits for the
// goroutine to end.
func (w *writer) stop() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.quit)
	}
	w.mu.Unlock()
	<-w.stopped
}

func (w *writer) run() {
	defer close(w.stopped)
	for {
		select {
		case o := <-w.ops:
			w.commit(w.collect(o))
		case <-w.quit:
			for {
				select {
				case o := <-w.ops:
					w.commit(w.collect(o))
				default:
					return
				}
			}
		}
	}
}

// collect takes first and whatever else is already waiting, within bounds.
func (w *writer) collect(first *op) []*op {
	batch := []*op{first}
	size := first.size
	for len(batch) < w.maxBatch && size < w.maxBytes {
		select {
		case o := <-w.ops:
			batch = append(batch, o)
			size += o.size
		default:
			return batch
		}
	}
	return batch
}

// commit applies batch and tells every caller its own result.
func (w *writer) commit(batch []*op) {
	w.observe(len(batch))
	err := w.apply(batch)
	for _, o := range batch {
		if err != nil && o.err == nil {
			o.err = err
		}
		close(o.done)
	}
}

// apply runs batch in one transaction: each fn op in its own savepoint,
// then the recordings together (see recordAll). An op's own failure is
// rolled back to its savepoint and stays its own; a failure of the
// transaction itself (begin, a savepoint statement, commit) is returned and
// fails every op that had not already failed on its own.
func (w *writer) apply(batch []*op) error {
	ctx := context.Background()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	var recs []*op
	for _, o := range batch {
		if o.err = o.ctx.Err(); o.err != nil {
			continue // its caller has gone; do not write on its behalf
		}
		if o.rec != nil {
			recs = append(recs, o)
			continue
		}
		if err := applyOne(ctx, tx, o); err != nil {
			tx.Rollback()
			return err
		}
	}
	if len(recs) > 0 {
		if err := w.record(ctx, tx, recs); err != nil {
			tx.Rollback()
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// applyOne runs o between SAVEPOINT and RELEASE. Its context keeps the
// caller's values (River's client, a logger) but not its cancellation,
// which would interrupt a statement in a shared transaction.
func applyOne(ctx context.Context, tx *sql.Tx, o *op) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT op"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	if o.err = callOp(context.WithoutCancel(o.ctx), tx, o.fn); o.err != nil {
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT op"); err != nil {
			return fmt.Errorf("rollback to savepoint: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT op"); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// callOp turns a panic into the op's error: the writer goroutine serves
// every caller and must not die for one.
func callOp(ctx context.Context, tx *sql.Tx, fn func(context.Context, *sql.Tx) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic in write: %v\n%s", r, debug.Stack())
		}
	}()
	return fn(ctx, tx)
}
