package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// settleDelivery marks a delivery processed once none of its jobs is
// pending: failed if any job neither completed nor was superseded,
// superseded if every job was, completed otherwise.
const settleDelivery = `UPDATE deliveries
SET processed_at = ?,
    outcome = CASE
        WHEN EXISTS (SELECT 1 FROM delivery_jobs WHERE delivery_id = ? AND outcome NOT IN ('completed', 'superseded')) THEN 'failed'
        WHEN EXISTS (SELECT 1 FROM delivery_jobs WHERE delivery_id = ? AND outcome = 'completed') THEN 'completed'
        ELSE 'superseded' END
WHERE id = ? AND NOT EXISTS (
    SELECT 1 FROM delivery_jobs WHERE delivery_id = ? AND outcome IS NULL
)`

// finishJobTx records that jobID finished with outcome and, if it was its
// delivery's last pending job, settles the delivery and forgets its jobs.
// A job that belongs to no delivery, or was already recorded, changes
// nothing: that is what makes a rescued job's second finish harmless.
func finishJobTx(ctx context.Context, tx *sql.Tx, jobID int64, outcome string) error {
	var deliveryID string
	err := tx.QueryRowContext(ctx, `UPDATE delivery_jobs SET outcome = ? WHERE job_id = ? AND outcome IS NULL RETURNING delivery_id`,
		outcome, jobID).Scan(&deliveryID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("finish job %d: %w", jobID, err)
	}
	res, err := tx.ExecContext(ctx, settleDelivery, time.Now().UTC(), deliveryID, deliveryID, deliveryID, deliveryID)
	if err != nil {
		return fmt.Errorf("settle delivery %s: %w", deliveryID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM delivery_jobs WHERE delivery_id = ?`, deliveryID); err != nil {
		return fmt.Errorf("settle delivery %s: %w", deliveryID, err)
	}
	return nil
}
