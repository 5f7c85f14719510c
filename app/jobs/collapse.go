package jobs

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// insertCollapsed inserts params with River, each unique job that appears
// more than once only once. River refuses a batch in which a unique key
// repeats, and the fallback (each delivery alone, see recordAll) would
// merge every repeat into the first anyway, at the price of one insert
// statement per delivery: a burst of deliveries for one pull request head
// would cost that for the whole batch. A repeat's result is the first
// one's job marked UniqueSkippedAsDuplicate, as River would give it.
func (q *Queue) insertCollapsed(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	first := map[string]int{} // collapse key to its index in kept
	kept := make([]river.InsertManyParams, 0, len(params))
	from := make([]int, len(params)) // index in kept of params[i]'s job
	repeat := make([]bool, len(params))
	for i, p := range params {
		key := collapseKey(p)
		if j, ok := first[key]; ok && key != "" {
			from[i], repeat[i] = j, true
			continue
		}
		if key != "" {
			first[key] = len(kept)
		}
		from[i] = len(kept)
		kept = append(kept, p)
	}
	if len(kept) == len(params) {
		return q.insertJobs(ctx, tx, params)
	}
	inserted, err := q.insertJobs(ctx, tx, kept)
	if err != nil {
		return nil, err
	}
	results := make([]*rivertype.JobInsertResult, len(params))
	for i := range params {
		results[i] = inserted[from[i]]
		if repeat[i] {
			results[i] = &rivertype.JobInsertResult{Job: inserted[from[i]].Job, UniqueSkippedAsDuplicate: true}
		}
	}
	return results, nil
}

// collapseKey is equal for two params to which River gives one unique
// key, and empty for jobs it may keep apart: jobs that are not unique,
// and unique by period, whose key depends on the time of insertion. It
// only finds equal args (kind and JSON); jobs unique by a subset of their
// args can still collide, and take recordAll's fallback.
func collapseKey(p river.InsertManyParams) string {
	var unique river.UniqueOpts
	if a, ok := p.Args.(river.JobArgsWithInsertOpts); ok {
		unique = a.InsertOpts().UniqueOpts
	}
	if p.InsertOpts != nil && !uniqueEmpty(p.InsertOpts.UniqueOpts) {
		unique = p.InsertOpts.UniqueOpts
	}
	if uniqueEmpty(unique) || unique.ByPeriod != 0 {
		return ""
	}
	raw, err := json.Marshal(p.Args)
	if err != nil {
		return "" // River will refuse it with its own error
	}
	return p.Args.Kind() + "\x00" + string(raw)
}

// uniqueEmpty is River's test for "not unique" (UniqueOpts.isEmpty).
func uniqueEmpty(u river.UniqueOpts) bool {
	return !u.ByArgs && u.ByPeriod == 0 && !u.ByQueue && u.ByState == nil && !u.ExcludeKind
}
