package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// Delivery outcomes, as stored in deliveries.outcome.
const (
	// OutcomeQueued: some of the delivery's jobs have not finished.
	OutcomeQueued = "queued"
	// OutcomeCompleted: every job of the delivery completed.
	OutcomeCompleted = "completed"
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
	// Payload is the raw body.
	Payload []byte
	// ReceivedAt defaults to the time of Record.
	ReceivedAt time.Time
}

const insertDelivery = `INSERT INTO deliveries
    (id, event, action, installation_id, repository, payload, received_at, outcome)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO NOTHING`

// Record stores d and inserts jobs in one transaction, returning after the
// commit: a nil error means both are on disk. If d.ID is already stored it
// returns duplicate=true and inserts nothing. Job args' own InsertOpts
// apply. Concurrent calls share commits (see the package documentation);
// a caller whose context ends before its turn writes nothing, but once its
// turn has come the write may commit even though Record returned ctx's
// error, which a redelivery then finds as a duplicate.
func (q *Queue) Record(ctx context.Context, d Delivery, jobs ...river.JobArgs) (duplicate bool, err error) {
	if d.ID == "" || d.Event == "" {
		return false, errors.New("record delivery: id and event are required")
	}
	if d.ReceivedAt.IsZero() {
		d.ReceivedAt = time.Now()
	}
	d.ReceivedAt = d.ReceivedAt.UTC()
	params := make([]river.InsertManyParams, len(jobs))
	for i, args := range jobs {
		params[i] = river.InsertManyParams{Args: args}
	}
	err = q.writer.do(ctx, len(d.Payload), func(ctx context.Context, tx *sql.Tx) error {
		var err error
		duplicate, err = q.recordTx(ctx, tx, d, params)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("record delivery %s: %w", d.ID, err)
	}
	q.metrics.recorded(duplicate)
	return duplicate, nil
}

func (q *Queue) recordTx(ctx context.Context, tx *sql.Tx, d Delivery, params []river.InsertManyParams) (bool, error) {
	res, err := tx.ExecContext(ctx, insertDelivery, d.ID, d.Event, nullString(d.Action),
		nullInt(d.InstallationID), nullString(d.Repository), nonNil(d.Payload), d.ReceivedAt, OutcomeQueued)
	if err != nil {
		return false, fmt.Errorf("insert delivery: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return true, err
	}
	owned, err := q.insertJobs(ctx, tx, d.ID, params)
	if err != nil {
		return false, err
	}
	if owned == 0 {
		_, err = tx.ExecContext(ctx, `UPDATE deliveries SET processed_at = ?, outcome = ? WHERE id = ?`,
			d.ReceivedAt, OutcomeIgnored, d.ID)
	}
	return false, err
}

// insertJobs inserts params and tracks each job the delivery owns. A unique
// job that River merged into an existing one belongs to another delivery.
func (q *Queue) insertJobs(ctx context.Context, tx *sql.Tx, deliveryID string, params []river.InsertManyParams) (int, error) {
	if len(params) == 0 {
		return 0, nil
	}
	results, err := q.client.InsertManyTx(ctx, tx, params)
	if err != nil {
		return 0, fmt.Errorf("insert jobs: %w", err)
	}
	owned := 0
	for _, r := range results {
		if r.UniqueSkippedAsDuplicate {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO delivery_jobs (job_id, delivery_id) VALUES (?, ?)`, r.Job.ID, deliveryID); err != nil {
			return 0, fmt.Errorf("track job: %w", err)
		}
		owned++
	}
	return owned, nil
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
