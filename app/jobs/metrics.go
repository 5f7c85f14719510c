package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// depthQueryTimeout bounds the queue-depth query a scrape runs.
const depthQueryTimeout = 2 * time.Second

type metrics struct {
	records    prometheus.Counter
	duplicates prometheus.Counter
	durations  *prometheus.HistogramVec
	superseded *prometheus.CounterVec
	batches    prometheus.Histogram
	inbox      prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer, read *sql.DB) (*metrics, error) {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := &metrics{
		records: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "portico_deliveries_recorded_total",
			Help: "Deliveries Record committed, duplicates included.",
		}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "portico_deliveries_duplicate_total",
			Help: "Deliveries Record found already stored (redeliveries).",
		}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "portico_job_duration_seconds",
			Help:    "Job attempts by kind and outcome (completed, superseded, retry, cancelled, discarded, snoozed, interrupted).",
			Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 12),
		}, []string{"kind", "outcome"}),
		superseded: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "portico_jobs_superseded_total",
			Help: "Jobs that ended superseded: their work no longer decided anything (a check for a head since moved past).",
		}, []string{"kind"}),
		batches: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "portico_db_commit_batch_size",
			Help:    "Writes grouped into one database commit.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 10),
		}),
		inbox: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "portico_inbox_commit_batch_size",
			Help:    "Accepted deliveries (and dispatch clean-ups) grouped into one inbox commit.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 10),
		}),
	}
	for _, c := range []prometheus.Collector{m.records, m.duplicates, m.durations, m.superseded, m.batches, m.inbox, depthCollector{read}} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register queue metrics: %w", err)
		}
	}
	return m, nil
}

func (m *metrics) recorded(duplicate bool) {
	m.records.Inc()
	if duplicate {
		m.duplicates.Inc()
	}
}

func (m *metrics) observeJob(kind, outcome string, d time.Duration) {
	m.durations.WithLabelValues(kind, outcome).Observe(d.Seconds())
	if outcome == outcomeSuperseded {
		m.superseded.WithLabelValues(kind).Inc()
	}
}

func (m *metrics) observeBatch(n int) { m.batches.Observe(float64(n)) }

func (m *metrics) observeInboxBatch(n int) { m.inbox.Observe(float64(n)) }

var depthDesc = prometheus.NewDesc("portico_jobs",
	"Jobs in River's table by state (available, running, retryable, scheduled, completed, ...).",
	[]string{"state"}, nil)

// depthCollector counts jobs by state at scrape time, on the read-only
// pool so that a scrape never waits for, or holds up, the writer. It reads
// River's table directly: the query is plain SQL for either dialect.
type depthCollector struct{ db *sql.DB }

func (c depthCollector) Describe(ch chan<- *prometheus.Desc) { ch <- depthDesc }

func (c depthCollector) Collect(ch chan<- prometheus.Metric) {
	counts, err := c.count()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(depthDesc, err)
		return
	}
	for state, n := range counts {
		ch <- prometheus.MustNewConstMetric(depthDesc, prometheus.GaugeValue, float64(n), state)
	}
}

func (c depthCollector) count() (map[string]int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), depthQueryTimeout)
	defer cancel()
	rows, err := c.db.QueryContext(ctx, `SELECT state, COUNT(*) FROM river_job GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	defer rows.Close()
	counts := map[string]int64{}
	for rows.Next() {
		var state string
		var n int64
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("count jobs: %w", err)
		}
		counts[state] = n
	}
	return counts, rows.Err()
}
