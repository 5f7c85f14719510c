package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// dispatchRetry is how long a delivery whose dispatch failed waits before
// the next attempt; the rest of the inbox moves on meanwhile.
const dispatchRetry = time.Second

// dispatchGather is the least time between two dispatch passes. A pass
// costs about the same for one delivery as for fifty (a commit, an fsync,
// and River's insert statement, which SQLite parses anew each time), so
// under load deliveries gather for this long and go in one pass, which
// keeps that cost off the CPU that acceptance needs. An idle dispatcher
// still starts at once: a lone delivery waits for nothing.
const dispatchGather = 10 * time.Millisecond

// selectInbox reads the oldest inbox rows first.
const selectInbox = `SELECT id, event, action, installation_id, repository, payload, received_at, jobs
FROM inbox ORDER BY rowid LIMIT ?`

// dispatcher moves accepted deliveries from the inbox into portico.db: one
// goroutine, woken by each acceptance commit, that hands the inbox's rows
// to the main writer as recordings (stored with their jobs exactly as
// Record used to store them) and deletes them from the inbox once that
// has committed. A crash between the two leaves rows that the next pass
// finds already stored: they count as duplicates and insert nothing.
type dispatcher struct {
	q       *Queue
	wake    chan struct{}
	quit    chan struct{}
	stopped chan struct{}
	held    map[string]time.Time // failed deliveries, not retried before then
}

// newDispatcher starts the dispatcher. It first runs on the first Record
// or at Start, once every kind has its worker (and so its decoder); the
// pass at Start picks up whatever a previous process left in the inbox.
func newDispatcher(q *Queue) *dispatcher {
	d := &dispatcher{q: q, wake: make(chan struct{}, 1), quit: make(chan struct{}),
		stopped: make(chan struct{}), held: map[string]time.Time{}}
	go d.run()
	return d
}

// notify wakes the dispatcher, or leaves a pass pending if it is busy.
func (d *dispatcher) notify() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *dispatcher) run() {
	defer close(d.stopped)
	retry := time.NewTimer(dispatchRetry)
	retry.Stop()
	for {
		select {
		case <-d.wake:
		case <-retry.C:
		case <-d.quit:
			return
		}
		err := d.drain(context.Background(), d.quit)
		if err != nil {
			d.q.opts.Logger.Error("jobs: dispatch deliveries; will retry", "error", err)
		}
		if err != nil || len(d.held) > 0 {
			retry.Reset(dispatchRetry)
		}
		select {
		case <-time.After(dispatchGather):
		case <-d.quit:
			return
		}
	}
}

// stop ends the goroutine and then dispatches what the inbox still holds,
// retrying held deliveries once more, until ctx ends. The inbox writer
// must be stopped first, so that nothing arrives behind the last pass.
func (d *dispatcher) stop(ctx context.Context) error {
	close(d.quit)
	<-d.stopped
	clear(d.held)
	err := d.drain(ctx, nil)
	left, countErr := d.left(ctx)
	if err == nil {
		err = countErr
	}
	if err == nil && left > 0 {
		err = fmt.Errorf("%d deliveries left in the inbox for the next start", left)
	}
	return err
}

// drain dispatches batches until one comes back short, quit closes, or
// ctx ends.
func (d *dispatcher) drain(ctx context.Context, quit <-chan struct{}) error {
	for {
		more, err := d.dispatchBatch(ctx)
		if err != nil || !more {
			return err
		}
		select {
		case <-quit:
			return nil
		default:
		}
	}
}

// dispatchBatch moves up to MaxBatch deliveries and reports whether the
// inbox may hold more.
func (d *dispatcher) dispatchBatch(ctx context.Context) (bool, error) {
	limit := d.q.opts.MaxBatch + len(d.held)
	recs, err := d.read(ctx, limit)
	if err != nil {
		return false, err
	}
	var ops []*op
	for _, r := range recs {
		if until, ok := d.held[r.d.ID]; ok && time.Now().Before(until) {
			continue
		}
		o := &op{ctx: ctx, rec: r, size: len(r.payload)}
		r.params, o.err = d.q.decodeJobs(r.jobs)
		ops = append(ops, o)
	}
	done, err := d.store(ctx, ops)
	if err != nil {
		return false, err
	}
	if err := d.q.forget(ctx, done); err != nil {
		return false, err
	}
	return len(recs) == limit, nil
}

// store has the main writer store ops as one op of its own, so that one
// commit, shared with job bookkeeping, serves the whole batch, and returns
// the ids it stored or found stored. Those it could not store are held
// for a while.
func (d *dispatcher) store(ctx context.Context, ops []*op) ([]string, error) {
	var ready []*op
	size := 0
	for _, o := range ops {
		if o.err != nil {
			d.hold(o)
			continue
		}
		ready = append(ready, o)
		size += o.size
	}
	if len(ready) == 0 {
		return nil, nil
	}
	err := d.q.writer.do(ctx, size, func(ctx context.Context, tx *sql.Tx) error {
		return d.q.recordAll(ctx, tx, ready)
	})
	if errors.Is(err, ErrStopped) || ctx.Err() != nil {
		return nil, err
	}
	var done []string
	for _, o := range ready {
		if o.err == nil {
			o.err = err
		}
		if o.err != nil {
			d.hold(o)
			continue
		}
		delete(d.held, o.rec.d.ID)
		done = append(done, o.rec.d.ID)
	}
	return done, nil
}

func (d *dispatcher) hold(o *op) {
	d.held[o.rec.d.ID] = time.Now().Add(dispatchRetry)
	d.q.opts.Logger.Error("jobs: dispatch delivery; will retry", "delivery", o.rec.d.ID, "error", o.err)
}

// read returns up to limit inbox rows, oldest first.
func (d *dispatcher) read(ctx context.Context, limit int) ([]*recording, error) {
	rows, err := d.q.db.InboxReadOnly().QueryContext(ctx, selectInbox, limit)
	if err != nil {
		return nil, fmt.Errorf("read inbox: %w", err)
	}
	defer rows.Close()
	var recs []*recording
	for rows.Next() {
		r := &recording{}
		var action, repo sql.NullString
		var inst sql.NullInt64
		if err := rows.Scan(&r.d.ID, &r.d.Event, &action, &inst, &repo, &r.payload, &r.d.ReceivedAt, &r.jobs); err != nil {
			return nil, fmt.Errorf("read inbox: %w", err)
		}
		r.d.Action, r.d.InstallationID, r.d.Repository = action.String, inst.Int64, repo.String
		r.payload = nonNil(r.payload)
		recs = append(recs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read inbox: %w", err)
	}
	return recs, nil
}

// left counts the inbox's rows.
func (d *dispatcher) left(ctx context.Context) (int, error) {
	var n int
	if err := d.q.db.InboxReadOnly().QueryRowContext(ctx, `SELECT COUNT(*) FROM inbox`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count inbox: %w", err)
	}
	return n, nil
}

// forget deletes dispatched deliveries from the inbox, grouped with the
// acceptance commits while the inbox writer runs, and directly once Stop
// has ended it.
func (q *Queue) forget(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	del := func(ctx context.Context, tx *sql.Tx) error {
		for chunk := range slices.Chunk(ids, maxRowsPerStatement) {
			args := make([]any, len(chunk))
			for i, id := range chunk {
				args[i] = id
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM inbox WHERE id IN (`+placeholders(len(chunk))+`)`, args...); err != nil {
				return err
			}
		}
		return nil
	}
	err := q.inbox.do(ctx, 0, del)
	if errors.Is(err, ErrStopped) {
		err = inTx(ctx, q.db.Inbox(), del)
	}
	if err != nil {
		return fmt.Errorf("delete dispatched deliveries from inbox: %w", err)
	}
	return nil
}

func inTx(ctx context.Context, db *sql.DB, fn func(context.Context, *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(ctx, tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
