package jobs

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
)

// TestSupersededJobs: a superseded job completes for River, is recorded
// as superseded, and settles its delivery as superseded only when every
// job of the delivery was; a completed one beside it makes it completed.
func TestSupersededJobs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		jobs        []river.JobArgs // N odd: superseded; even: completes
		wantOutcome string
	}{
		{"all superseded", []river.JobArgs{testArgs{N: 1}, testArgs{N: 3}}, OutcomeSuperseded},
		{"some superseded", []river.JobArgs{testArgs{N: 1}, testArgs{N: 2}}, OutcomeCompleted},
		{"wrapped", []river.JobArgs{testArgs{N: 5}}, OutcomeSuperseded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := openDB(t, t.TempDir())
			reg := prometheus.NewRegistry()
			opts := testOptions(t)
			opts.Registerer = reg
			q := newQueue(t, db, opts)
			Handle(q, func(_ context.Context, job *river.Job[testArgs]) error {
				switch {
				case job.Args.N == 5:
					return fmt.Errorf("check: %w", Superseded("head moved"))
				case job.Args.N%2 == 1:
					return Superseded("head moved")
				}
				return nil
			})
			record(t, q, "d", tt.jobs...)
			startQueue(t, q)
			waitFor(t, 10*time.Second, "delivery processed", func() bool {
				_, processed := deliveryState(t, db, "d")
				return processed
			})
			if outcome, _ := deliveryState(t, db, "d"); outcome != tt.wantOutcome {
				t.Errorf("outcome %q, want %q", outcome, tt.wantOutcome)
			}
			waitFor(t, timeoutShort, "River to complete every job at its first attempt", func() bool {
				return count(t, db, `SELECT COUNT(*) FROM river_job WHERE kind = 'test' AND state = 'completed' AND attempt = 1`) == len(tt.jobs)
			})
			var want float64
			for _, a := range tt.jobs {
				if a.(testArgs).N%2 == 1 {
					want++
				}
			}
			if got := gather(t, reg, "portico_jobs_superseded_total", map[string]string{"kind": "test"}); got != want {
				t.Errorf("portico_jobs_superseded_total = %v, want %v", got, want)
			}
			if got := gather(t, reg, "portico_job_duration_seconds", map[string]string{"kind": "test", "outcome": "superseded"}); got != want {
				t.Errorf("portico_job_duration_seconds{outcome=superseded} has %v samples, want %v", got, want)
			}
		})
	}
}

// TestSupersededReleasesKey: the next job on a superseded job's key runs
// at once, without waiting for the lease to run out.
func TestSupersededReleasesKey(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	opts := testOptions(t)
	opts.KeyLease = time.Hour
	q := newQueue(t, db, opts)
	Handle(q, func(_ context.Context, job *river.Job[testArgs]) error {
		if job.Args.N == 1 {
			return Superseded("newer head")
		}
		return nil
	})
	startQueue(t, q)
	record(t, q, "first", testArgs{N: 1, Key: "pr:a/b@1"})
	waitFor(t, 10*time.Second, "first settled", func() bool {
		_, processed := deliveryState(t, db, "first")
		return processed
	})
	record(t, q, "second", testArgs{N: 2, Key: "pr:a/b@1"})
	waitFor(t, 10*time.Second, "second settled", func() bool {
		_, processed := deliveryState(t, db, "second")
		return processed
	})
	if n := count(t, db, `SELECT COUNT(*) FROM job_keys`); n != 0 {
		t.Errorf("%d keys still held", n)
	}
}

func TestSupersededError(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("run check: %w", Superseded("head abc moved to def"))
	var s *SupersededError
	if !errors.As(err, &s) || s.Reason != "head abc moved to def" {
		t.Fatalf("errors.As(%v) found %+v", err, s)
	}
	if got := err.Error(); got != "run check: superseded: head abc moved to def" {
		t.Errorf("Error() = %q", got)
	}
}
