package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Serialized is implemented by job args that must not run at the same time
// as any other job with the same key, in any process sharing the database:
// "pr:owner/repo@sha" for a pull request head, "repo:owner/repo" for a
// repository. An empty key means no serialization.
type Serialized interface {
	SerializationKey() string
}

// ErrLeaseLost is the cause of a job's context being cancelled because its
// serialization-key lease could not be renewed in time, so another job may
// now hold the key.
var ErrLeaseLost = errors.New("jobs: serialization key lease lost")

func serializationKey(args any) string {
	if s, ok := args.(Serialized); ok {
		return s.SerializationKey()
	}
	return ""
}

// acquireKey takes key for jobID if it is free, expired, or already this
// job's (a job rescued after its process died finds its own lease).
const acquireKey = `INSERT INTO job_keys (key, job_id, lease_until) VALUES (?, ?, ?)
ON CONFLICT (key) DO UPDATE SET job_id = excluded.job_id, lease_until = excluded.lease_until
WHERE job_keys.lease_until < ? OR job_keys.job_id = excluded.job_id`

// acquire reports whether jobID now holds key, and until when.
func (q *Queue) acquire(ctx context.Context, key string, jobID int64) (held bool, until time.Time, err error) {
	if key == "" {
		return true, time.Time{}, nil
	}
	// fn's own variables: do may return on ctx's end while fn still runs.
	var got bool
	var lease time.Time
	err = q.writer.do(ctx, 0, func(ctx context.Context, tx *sql.Tx) error {
		now := time.Now()
		lease = now.Add(q.opts.KeyLease)
		res, err := tx.ExecContext(ctx, acquireKey, key, jobID, lease.UnixMilli(), now.UnixMilli())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		got = n == 1
		return err
	})
	if err != nil {
		return false, time.Time{}, fmt.Errorf("acquire key %s: %w", key, err)
	}
	return got, lease, nil
}

// renew extends jobID's lease on key to until; false means the job no
// longer holds it.
func (q *Queue) renew(ctx context.Context, key string, jobID int64, until time.Time) (bool, error) {
	var held bool
	err := q.writer.do(ctx, 0, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE job_keys SET lease_until = ? WHERE key = ? AND job_id = ?`, until.UnixMilli(), key, jobID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		held = n == 1
		return err
	})
	if err != nil {
		// do may return on ctx's end while fn still runs: held is fn's
		// until do returns nil.
		return false, err
	}
	return held, nil
}

// releaseTx frees key if jobID still holds it.
func releaseTx(ctx context.Context, tx *sql.Tx, key string, jobID int64) error {
	if key == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM job_keys WHERE key = ? AND job_id = ?`, key, jobID); err != nil {
		return fmt.Errorf("release key %s: %w", key, err)
	}
	return nil
}

// release frees key on its own, for paths that have nothing else to write.
// A failure only delays the key until its lease runs out, so it is logged.
func (q *Queue) release(ctx context.Context, key string, jobID int64) {
	if key == "" {
		return
	}
	err := q.writer.do(context.WithoutCancel(ctx), 0, func(ctx context.Context, tx *sql.Tx) error {
		return releaseTx(ctx, tx, key, jobID)
	})
	if err != nil {
		q.opts.Logger.WarnContext(ctx, "jobs: key stays held until its lease ends", "key", key, "job_id", jobID, "error", err)
	}
}

// holding runs fn while keeping jobID's lease on key, valid until until,
// alive. If the lease cannot be renewed before it ends, fn's context is
// cancelled with ErrLeaseLost: past that point another job may hold the key.
func (q *Queue) holding(ctx context.Context, key string, jobID int64, until time.Time, fn func(context.Context) error) error {
	if key == "" {
		return fn(ctx)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		q.renewLoop(ctx, key, jobID, until, stop, cancel)
	}()
	err := fn(ctx)
	close(stop)
	<-done
	return err
}

func (q *Queue) renewLoop(ctx context.Context, key string, jobID int64, until time.Time, stop <-chan struct{}, cancel context.CancelCauseFunc) {
	lease := q.opts.KeyLease
	ticker := time.NewTicker(lease / 3)
	defer ticker.Stop()
	for {
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		case now := <-ticker.C:
			next := now.Add(lease)
			held, err := q.renew(ctx, key, jobID, next)
			switch {
			case err == nil && held:
				until = next
			case err == nil || time.Now().After(until):
				cancel(ErrLeaseLost)
				return
			default:
				q.opts.Logger.WarnContext(ctx, "jobs: renew key lease", "key", key, "job_id", jobID, "error", err)
			}
		}
	}
}
