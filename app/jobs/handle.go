package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/riverqueue/river"
)

// Job outcomes, as metric labels and in delivery_jobs.outcome.
const (
	outcomeCompleted   = "completed"
	outcomeSuperseded  = "superseded"
	outcomeRetry       = "retry"
	outcomeCancelled   = "cancelled"
	outcomeDiscarded   = "discarded"
	outcomeSnoozed     = "snoozed"
	outcomeInterrupted = "interrupted"
)

// Handle registers fn as the worker for job kind T. It must be called
// before Start, once per kind; like river.AddWorker it panics otherwise.
func Handle[T river.JobArgs](q *Queue, fn func(ctx context.Context, job *river.Job[T]) error) {
	HandleWorker(q, river.WorkFunc(fn))
}

// HandleWorker registers a full River worker for kind T, for kinds that
// need their own Timeout or NextRetry. Same rules as Handle.
func HandleWorker[T river.JobArgs](q *Queue, w river.Worker[T]) {
	if q.state.Load() != stateNew {
		panic("jobs: Handle after Start")
	}
	river.AddWorker(q.workers, &worker[T]{Worker: w, q: q})
	var zero T
	q.decoders.Store(zero.Kind(), decoder(decodeArgs[T]))
}

// worker wraps a River worker with serialization, bookkeeping and
// metrics; Timeout, NextRetry and Middleware are the wrapped worker's.
type worker[T river.JobArgs] struct {
	river.Worker[T]
	q *Queue
}

// Work runs one attempt of job, with the job's identity in ctx (see
// DeliveryID and Logger).
func (w *worker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	start := time.Now()
	ctx = withJob(ctx, job.JobRow)
	outcome, err := w.attempt(ctx, job)
	w.q.metrics.observeJob(job.Kind, outcome, time.Since(start))
	return err
}

func (w *worker[T]) attempt(ctx context.Context, job *river.Job[T]) (string, error) {
	q := w.q
	key := serializationKey(job.Args)
	held, until, err := q.acquire(ctx, key, job.ID)
	if err != nil {
		return outcomeRetry, err
	}
	if !held {
		return outcomeSnoozed, river.JobSnooze(q.opts.KeyBusySnooze)
	}
	err = q.holding(ctx, key, job.ID, until, func(ctx context.Context) error {
		return safeWork(ctx, job, w.Worker.Work)
	})
	return finish(context.WithoutCancel(ctx), q, job, key, err, context.Cause(ctx))
}

// safeWork turns a panic into an error so that the attempt is accounted
// for like any other failure; the stack goes into River's error record.
func safeWork[T river.JobArgs](ctx context.Context, job *river.Job[T], work func(context.Context, *river.Job[T]) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return work(ctx, job)
}

// finish settles an attempt that ran, given its error and why its context
// ended (nil if it had not), and returns the outcome and River's error.
func finish[T river.JobArgs](ctx context.Context, q *Queue, job *river.Job[T], key string, err, cause error) (string, error) {
	var snooze *river.JobSnoozeError
	var cancel *river.JobCancelError
	sup, isSuperseded := superseded(err)
	switch {
	case err == nil:
		return succeed(ctx, q, job.ID, key, outcomeCompleted)
	case isSuperseded:
		Logger(ctx, q.opts.Logger).InfoContext(ctx, "job superseded", "reason", sup.Reason)
		return succeed(ctx, q, job.ID, key, outcomeSuperseded)
	case errors.As(err, &snooze):
		q.release(ctx, key, job.ID)
		return outcomeSnoozed, err
	case cause != nil && q.hardStop.Load():
		// Shutdown cut it short: run it again on the next start, at no
		// cost in attempts.
		q.release(ctx, key, job.ID)
		return outcomeInterrupted, river.JobSnooze(0)
	case errors.As(err, &cancel) || errors.Is(cause, river.ErrJobCancelledRemotely):
		q.fail(ctx, job.ID, key, outcomeCancelled)
		return outcomeCancelled, err
	case job.Attempt >= job.MaxAttempts:
		q.fail(ctx, job.ID, key, outcomeDiscarded)
		return outcomeDiscarded, err
	default:
		q.release(ctx, key, job.ID)
		return outcomeRetry, err
	}
}

// succeed settles a job that River is to record completed, under
// outcome (completed or superseded), and returns River's error: nil, or
// a retry if the bookkeeping could not be written.
func succeed(ctx context.Context, q *Queue, jobID int64, key, outcome string) (string, error) {
	if err := complete(ctx, q, jobID, key, outcome); err != nil {
		q.release(ctx, key, jobID)
		return outcomeRetry, fmt.Errorf("record completion: %w", err)
	}
	return outcome, nil
}

// complete settles a successful job's delivery and releases its key, in
// one transaction, before River records the job completed. Doing it inside
// River's completion (river.JobCompleteTx) would be atomic but costs a
// second completion per job, which on SQLite is most of a job's database
// time. If the process dies between the two, the rescued job runs again:
// handlers are idempotent, and so is this.
func complete(ctx context.Context, q *Queue, jobID int64, key, outcome string) error {
	return q.writer.do(ctx, 0, func(ctx context.Context, tx *sql.Tx) error {
		if err := releaseTx(ctx, tx, key, jobID); err != nil {
			return err
		}
		return finishJobTx(ctx, tx, jobID, outcome)
	})
}

// fail settles a job that will not run again: its delivery learns of it
// and its key is released. River records the job's own final state after
// this returns. If the process dies in between, the rescuer may run the job
// once more; the delivery keeps the outcome recorded here.
func (q *Queue) fail(ctx context.Context, jobID int64, key, outcome string) {
	err := q.writer.do(ctx, 0, func(ctx context.Context, tx *sql.Tx) error {
		if err := releaseTx(ctx, tx, key, jobID); err != nil {
			return err
		}
		return finishJobTx(ctx, tx, jobID, outcome)
	})
	if err != nil {
		Logger(ctx, q.opts.Logger).ErrorContext(ctx, "jobs: record final failure", "error", err)
	}
}
