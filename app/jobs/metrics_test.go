package jobs

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/riverqueue/river"
)

func TestMetrics(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	reg := prometheus.NewRegistry()
	opts := testOptions(t)
	opts.Registerer = reg
	opts.DeliveryRetention = -1 // no prune job among the counts
	q := newQueue(t, db, opts)
	Handle(q, func(_ context.Context, job *river.Job[testArgs]) error {
		if job.Args.N == 2 {
			return river.JobCancel(errors.New("no"))
		}
		return nil
	})
	record(t, q, "a", testArgs{N: 1})
	record(t, q, "b", testArgs{N: 2})
	if dup, err := q.Record(context.Background(), Delivery{ID: "a", Event: "push"}); err != nil || !dup {
		t.Fatalf("redelivery: %v %v", dup, err)
	}
	if got := gather(t, reg, "portico_jobs", map[string]string{"state": "available"}); got != 2 {
		t.Errorf("portico_jobs{state=available} = %v, want 2", got)
	}
	startQueue(t, q)
	waitFor(t, 10*time.Second, "jobs finished", func() bool {
		return count(t, db, `SELECT COUNT(*) FROM river_job WHERE state IN ('completed', 'cancelled')`) == 2
	})
	tests := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"portico_deliveries_recorded_total", nil, 3},
		{"portico_deliveries_duplicate_total", nil, 1},
		{"portico_job_duration_seconds", map[string]string{"kind": "test", "outcome": "completed"}, 1},
		{"portico_job_duration_seconds", map[string]string{"kind": "test", "outcome": "cancelled"}, 1},
		{"portico_jobs", map[string]string{"state": "completed"}, 1},
		{"portico_jobs", map[string]string{"state": "cancelled"}, 1},
	}
	for _, tt := range tests {
		if got := gather(t, reg, tt.name, tt.labels); got != tt.want {
			t.Errorf("%s%v = %v, want %v", tt.name, tt.labels, got, tt.want)
		}
	}
	if got := gather(t, reg, "portico_db_commit_batch_size", nil); got < 1 {
		t.Errorf("no commit batches observed")
	}
}

// gather returns the value of the series name{labels}: a counter's or
// gauge's value, a histogram's sample count; -1 if absent.
func gather(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if matches(m, labels) {
				return value(m)
			}
		}
	}
	return -1
}

func matches(m *dto.Metric, labels map[string]string) bool {
	found := 0
	for _, l := range m.GetLabel() {
		if v, ok := labels[l.GetName()]; ok && v == l.GetValue() {
			found++
		}
	}
	return found == len(labels)
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	}
	return -1
}

func TestMetricsRegisterTwiceFails(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	reg := prometheus.NewRegistry()
	opts := testOptions(t)
	opts.Registerer = reg
	newQueue(t, db, opts)
	if _, err := New(db, opts); err == nil {
		t.Error("a second queue registered the same metrics")
	}
}
