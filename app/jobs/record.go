package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Delivery outcomes, as stored in deliveries.outcome.
const (
	// OutcomeQueued: some of the delivery's jobs have not finished.
	OutcomeQueued = "queued"
	// OutcomeCompleted: every job of the delivery completed, or was
	// superseded with at least one completed.
	OutcomeCompleted = "completed"
	// OutcomeSuperseded: every job of the delivery was superseded (see
	// Superseded): the delivery's work was overtaken by a later one.
	OutcomeSuperseded = "superseded"
	// OutcomeFailed: every job finished and at least one was cancelled or
	// ran out of attempts.
	OutcomeFailed = "failed"
	// OutcomeIgnored: the delivery brought no job of its own (none given,
	// or each merged into an equal unique job already queued).
	OutcomeIgnored = "ignored"
)

// Delivery is one webhook delivery as GitHub sent it.
type Delivery struct {
	// ID is X-GitHub-Delivery, the key that makes redelivery a no-op.
	ID string
	// Event is X-GitHub-Event; Action the payload's "action", if any.
	Event  string
	Action string
	// InstallationID and Repository ("owner/name") are zero when the
	// payload has none.
	InstallationID int64
	Repository     string
	// Payload is the raw body. It is stored compressed: read it back
	// from deliveries.payload with DecodePayload.
	Payload []byte
	// ReceivedAt defaults to the time of Record.
	ReceivedAt time.Time
}

// insertDelivery takes one (?, ?, ?, ?, ?, ?, ?, ?) per row, then onConflict.
const insertDelivery = `INSERT INTO deliveries
    (id, event, action, installation_id, repository, payload, received_at, outcome)
VALUES `

const deliveryColumns = 8

const onConflict = ` ON CONFLICT (id) DO NOTHING`

// Record accepts d and its jobs durably and returns after the commit: a
// nil error means both are on disk, in the inbox (see the package
// documentation), from which they reach portico.db and River within
// milliseconds. If d.ID was accepted before it returns duplicate=true and
// has no effect; a redelivery racing the dispatch of its first copy may
// instead come back as new, and still has no effect. Every job's kind
// must have a worker. Job args' own InsertOpts apply. Concurrent calls
// share commits; a caller whose context ends before its turn writes
// nothing, but once its turn has come the write may commit even though
// Record returned ctx's error, which a redelivery then finds as a
// duplicate.
func (q *Queue) Record(ctx context.Context, d Delivery, jobs ...river.JobArgs) (duplicate bool, err error) {
	if d.ID == "" || d.Event == "" {
		return false, errors.New("record delivery: id and event are required")
	}
	if d.ReceivedAt.IsZero() {
		d.ReceivedAt = time.Now()
	}
	d.ReceivedAt = d.ReceivedAt.UTC()
	rec := &recording{d: d, payload: nonNil(encodePayload(d.Payload))}
	if rec.jobs, err = q.encodeJobs(jobs); err != nil {
		return false, fmt.Errorf("record delivery %s: %w", d.ID, err)
	}
	o := &op{ctx: ctx, rec: rec, size: len(rec.payload) + len(rec.jobs), done: make(chan struct{})}
	if err := q.inbox.submit(o); err != nil {
		return false, fmt.Errorf("record delivery %s: %w", d.ID, err)
	}
	if !rec.duplicate {
		q.dispatch.notify()
	}
	q.metrics.recorded(rec.duplicate)
	return rec.duplicate, nil
}

// recording is one delivery on its way through a writer: accepted into
// the inbox with its payload and jobs encoded, then stored in portico.db
// with the same payload bytes and the jobs decoded into params. d.Payload
// is not used on the way: a dispatched recording leaves it empty.
type recording struct {
	d         Delivery
	payload   []byte // as stored: see encodePayload
	jobs      []byte
	params    []river.InsertManyParams
	duplicate bool
}

// recordAll stores a batch of dispatched recordings together: one
// statement per table for the whole batch rather than per delivery, which
// is most of what group commit saves besides fsyncs. If that fails (job
// args River refuses, two deliveries' unique jobs colliding), it is rolled
// back and each recording is written alone in its own savepoint, so that
// only the culprit fails. Its error is the transaction's. Equal unique jobs
// of several deliveries do not collide: see insertCollapsed.
func (q *Queue) recordAll(ctx context.Context, tx *sql.Tx, ops []*op) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT records"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	if q.recordTogether(ctx, tx, ops) == nil {
		_, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT records")
		return err
	}
	if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT records"); err != nil {
		return fmt.Errorf("rollback to savepoint: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT records"); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	for _, o := range ops {
		o.fn = func(ctx context.Context, tx *sql.Tx) error { return q.recordTogether(ctx, tx, []*op{o}) }
		if err := applyOne(ctx, tx, o); err != nil {
			return err
		}
	}
	return nil
}

// recordTogether stores the deliveries of ops, inserts the jobs of those
// that were new, and tracks or settles them.
func (q *Queue) recordTogether(ctx context.Context, tx *sql.Tx, ops []*op) error {
	stored, err := insertDeliveries(ctx, tx, ops)
	if err != nil {
		return err
	}
	ids := make([]string, len(stored))
	var params []river.InsertManyParams
	var owner []int // owner[i] indexes stored for params[i]
	for i, o := range stored {
		ids[i] = o.rec.d.ID
		meta := deliveryMetadata(o.rec.d.ID)
		for _, p := range o.rec.params {
			params = append(params, withMetadata(p, meta))
			owner = append(owner, i)
		}
	}
	results, err := q.insertCollapsed(ctx, tx, params)
	if err != nil {
		return err
	}
	owned, err := trackJobs(ctx, tx, ids, results, func(i int) int { return owner[i] })
	if err != nil {
		return err
	}
	var ignored []string
	for i, n := range owned {
		if n == 0 {
			ignored = append(ignored, ids[i])
		}
	}
	return markIgnored(ctx, tx, ignored)
}

// withMetadata returns p with metadata meta, leaving the args' own
// InsertOpts in force: River takes each zero field of p.InsertOpts from
// the args' own (and metadata from p.InsertOpts alone).
func withMetadata(p river.InsertManyParams, meta []byte) river.InsertManyParams {
	opts := river.InsertOpts{}
	if p.InsertOpts != nil {
		opts = *p.InsertOpts
	}
	opts.Metadata = meta
	p.InsertOpts = &opts
	return p
}

// insertDeliveries inserts the deliveries of ops and returns the ops whose
// delivery is new; the others are marked duplicate, including a repeat of
// an id within the batch.
func insertDeliveries(ctx context.Context, tx *sql.Tx, ops []*op) ([]*op, error) {
	seen := make(map[string]bool, len(ops))
	var candidates []*op
	var rows [][]any
	for _, o := range ops {
		o.rec.duplicate = seen[o.rec.d.ID]
		if !o.rec.duplicate {
			seen[o.rec.d.ID] = true
			candidates = append(candidates, o)
			rows = append(rows, deliveryRow(o.rec))
		}
	}
	inserted := make(map[string]bool, len(rows))
	err := insertRows(ctx, tx, insertDelivery, deliveryColumns, rows, onConflict+" RETURNING id", func(r *sql.Rows) error {
		var id string
		err := r.Scan(&id)
		inserted[id] = true
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("insert deliveries: %w", err)
	}
	var stored []*op
	for _, o := range candidates {
		if o.rec.duplicate = !inserted[o.rec.d.ID]; !o.rec.duplicate {
			stored = append(stored, o)
		}
	}
	return stored, nil
}

// insertJobs inserts params with River, checking that the results line up
// with them one to one.
func (q *Queue) insertJobs(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	if len(params) == 0 {
		return nil, nil
	}
	results, err := q.client.InsertManyTx(ctx, tx, params)
	if err != nil {
		return nil, fmt.Errorf("insert jobs: %w", err)
	}
	if len(results) != len(params) {
		return nil, fmt.Errorf("insert jobs: %d results for %d jobs", len(results), len(params))
	}
	for i, r := range results {
		if r.Job.Kind != params[i].Args.Kind() {
			return nil, fmt.Errorf("insert jobs: result %d is a %s, not a %s", i, r.Job.Kind, params[i].Args.Kind())
		}
	}
	return results, nil
}

// trackJobs records in delivery_jobs each inserted job as its delivery's,
// ids[owner(i)] owning results[i], and returns how many each id owns. A
// unique job that River merged into an existing one belongs to another
// delivery and is not tracked.
func trackJobs(ctx context.Context, tx *sql.Tx, ids []string, results []*rivertype.JobInsertResult, owner func(int) int) ([]int, error) {
	owned := make([]int, len(ids))
	var rows [][]any
	for i, r := range results {
		if r.UniqueSkippedAsDuplicate {
			continue
		}
		rows = append(rows, []any{r.Job.ID, ids[owner(i)]})
		owned[owner(i)]++
	}
	err := insertRows(ctx, tx, `INSERT INTO delivery_jobs (job_id, delivery_id) VALUES `, 2, rows, "", nil)
	if err != nil {
		return nil, fmt.Errorf("track jobs: %w", err)
	}
	return owned, nil
}

// markIgnored settles deliveries that own no job.
func markIgnored(ctx context.Context, tx *sql.Tx, ids []string) error {
	for chunk := range slices.Chunk(ids, maxRowsPerStatement) {
		args := make([]any, 0, len(chunk)+1)
		args = append(args, OutcomeIgnored)
		for _, id := range chunk {
			args = append(args, id)
		}
		query := `UPDATE deliveries SET processed_at = received_at, outcome = ? WHERE id IN (` + placeholders(len(chunk)) + `)`
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("settle ignored deliveries: %w", err)
		}
	}
	return nil
}

func deliveryRow(r *recording) []any {
	d := r.d
	return []any{d.ID, d.Event, nullString(d.Action), nullInt(d.InstallationID), nullString(d.Repository),
		r.payload, d.ReceivedAt, OutcomeQueued}
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func nullInt(n int64) sql.NullInt64 { return sql.NullInt64{Int64: n, Valid: n != 0} }

// nonNil keeps an empty payload a zero-length blob rather than NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
