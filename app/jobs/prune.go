package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// pruneBatch bounds one delete, so that pruning a backlog never holds the
// writer for long: each batch is one op among the webhook writes.
const pruneBatch = 500

// pruneEvery is how often processed deliveries past retention are deleted.
const pruneEvery = time.Hour

// prunePriority is River's lowest: pruning waits behind every other job
// of its queue.
const prunePriority = 4

// pruneArgs is the periodic job that deletes old processed deliveries.
type pruneArgs struct{}

// Kind names the job.
func (pruneArgs) Kind() string { return "portico.prune_deliveries" }

// registerPrune registers the prune worker and returns its schedule, or
// nothing when deliveries are kept forever.
func (q *Queue) registerPrune() []*river.PeriodicJob {
	if q.opts.DeliveryRetention < 0 {
		return nil
	}
	Handle(q, func(ctx context.Context, _ *river.Job[pruneArgs]) error {
		_, err := q.prune(ctx, time.Now().Add(-q.opts.DeliveryRetention))
		return err
	})
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(pruneEvery),
		func() (river.JobArgs, *river.InsertOpts) {
			return pruneArgs{}, &river.InsertOpts{Priority: prunePriority}
		},
		&river.PeriodicJobOpts{ID: "portico.prune_deliveries", RunOnStart: true})}
}

// prune deletes processed deliveries received before cutoff and returns
// how many. Unprocessed ones stay whatever their age.
func (q *Queue) prune(ctx context.Context, cutoff time.Time) (int64, error) {
	var total int64
	for {
		var n int64
		err := q.writer.do(ctx, 0, func(ctx context.Context, tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `DELETE FROM deliveries WHERE id IN (
    SELECT id FROM deliveries WHERE received_at < ? AND processed_at IS NOT NULL LIMIT ?)`, cutoff.UTC(), pruneBatch)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return total, fmt.Errorf("prune deliveries: %w", err)
		}
		total += n
		if n < pruneBatch {
			return total, nil
		}
	}
}
