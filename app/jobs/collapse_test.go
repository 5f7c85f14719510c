package jobs

import (
	"context"
	"database/sql"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// TestInsertCollapsed: equal unique jobs in one batch, which River refuses
// together, are inserted once, the repeats reported merged into the first;
// equal jobs that are not unique are all inserted.
func TestInsertCollapsed(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	Handle(q, func(context.Context, *river.Job[uniqueArgs]) error { return nil })
	Handle(q, func(context.Context, *river.Job[testArgs]) error { return nil })
	params := func(args ...river.JobArgs) []river.InsertManyParams {
		ps := make([]river.InsertManyParams, len(args))
		for i, a := range args {
			ps[i] = withMetadata(river.InsertManyParams{Args: a}, deliveryMetadata("d"))
		}
		return ps
	}
	insert := func(f func(context.Context, *sql.Tx, []river.InsertManyParams) ([]*rivertype.JobInsertResult, error), ps []river.InsertManyParams) (res []*rivertype.JobInsertResult, err error) {
		werr := q.writer.do(context.Background(), 0, func(ctx context.Context, tx *sql.Tx) error {
			res, err = f(ctx, tx, ps)
			return err
		})
		if err == nil {
			err = werr
		}
		return res, err
	}
	if _, err := insert(q.insertJobs, params(uniqueArgs{"a/b"}, uniqueArgs{"a/b"})); err == nil {
		t.Fatal("River took a batch with a repeated unique key: the collapse is not needed")
	}
	res, err := insert(q.insertCollapsed, params(uniqueArgs{"a/b"}, testArgs{N: 1}, uniqueArgs{"a/b"}, testArgs{N: 1}, uniqueArgs{"c/d"}))
	if err != nil {
		t.Fatal(err)
	}
	skipped := []bool{false, false, true, false, false}
	for i, r := range res {
		if r.UniqueSkippedAsDuplicate != skipped[i] {
			t.Errorf("result %d (%s): skipped %v, want %v", i, r.Job.Kind, r.UniqueSkippedAsDuplicate, skipped[i])
		}
	}
	if res[2].Job.ID != res[0].Job.ID || res[1].Job.ID == res[3].Job.ID || res[4].Job.ID == res[0].Job.ID {
		t.Errorf("job ids %d %d %d %d %d: want the repeat on the first's job, the rest their own",
			res[0].Job.ID, res[1].Job.ID, res[2].Job.ID, res[3].Job.ID, res[4].Job.ID)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM river_job`); n != 4 {
		t.Errorf("%d jobs stored, want 4", n)
	}
}

func TestCollapseKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		p     river.InsertManyParams
		empty bool
	}{
		{"unique by args", river.InsertManyParams{Args: uniqueArgs{"a/b"}}, false},
		{"not unique", river.InsertManyParams{Args: testArgs{N: 1}}, true},
		{"made unique by its params", river.InsertManyParams{Args: testArgs{N: 1}, InsertOpts: &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}}, false},
		{"unique by period", river.InsertManyParams{Args: testArgs{N: 1}, InsertOpts: &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 60e9}}}, true},
	}
	for _, tt := range tests {
		if got := collapseKey(tt.p); (got == "") != tt.empty {
			t.Errorf("%s: collapseKey = %q", tt.name, got)
		}
	}
	if collapseKey(river.InsertManyParams{Args: uniqueArgs{"a/b"}}) == collapseKey(river.InsertManyParams{Args: uniqueArgs{"c/d"}}) {
		t.Error("different args share a key")
	}
}
