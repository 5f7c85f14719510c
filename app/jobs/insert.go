package jobs

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river"
)

// Insert adds follow-up jobs that belong to no delivery, such as the
// syncs a discovery job finds: a handler calls it from inside its own
// job. They go in one transaction through the group-committing writer,
// which owns portico.db's write connection, so the insert shares a commit
// with the queue's bookkeeping rather than waiting behind it. The args'
// own InsertOpts apply (priority, uniqueness): a unique job equal to one
// already waiting is skipped, which makes a retried handler's inserts
// idempotent. Every kind must have a worker. Nil is returned once the
// jobs are committed.
func (q *Queue) Insert(ctx context.Context, args ...river.JobArgs) error {
	if len(args) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(args))
	for i, a := range args {
		if _, ok := q.decoders.Load(a.Kind()); !ok {
			return fmt.Errorf("insert jobs: kind %q has no worker (Handle it first)", a.Kind())
		}
		params[i] = river.InsertManyParams{Args: a}
	}
	err := q.writer.do(ctx, 0, func(ctx context.Context, tx *sql.Tx) error {
		_, err := q.insertJobs(ctx, tx, params)
		return err
	})
	if err != nil {
		return fmt.Errorf("insert %d jobs: %w", len(args), err)
	}
	return nil
}
