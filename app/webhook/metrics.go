package webhook

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	deliveries *prometheus.CounterVec
	latency    prometheus.Histogram
}

// newMetrics makes the handler's metrics and registers them on r, if any,
// with gauges of what in holds.
func newMetrics(r prometheus.Registerer, in *Intake) *metrics {
	m := &metrics{
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "portico_webhook_deliveries_total",
			Help: "Webhook deliveries received, by event and outcome (accepted, duplicate, ignored, bad_signature, rejected, busy, error).",
		}, []string{"event", "outcome"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "portico_webhook_response_seconds",
			Help:    "Time to answer a webhook delivery, recording included.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, 1, 5},
		}),
	}
	if r != nil {
		r.MustRegister(m.deliveries, m.latency, intakeGauge("memory", in.InMemory), intakeGauge("disk", in.OnDisk))
	}
	return m
}

func (m *metrics) observe(event, outcome string, d time.Duration) {
	m.deliveries.WithLabelValues(event, outcome).Inc()
	m.latency.Observe(d.Seconds())
}

// intakeGauge reports the bytes of bodies in flight held in one place.
func intakeGauge(where string, f func() int64) prometheus.GaugeFunc {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        "portico_webhook_body_bytes",
		Help:        "Bytes of webhook bodies in flight (read, not yet answered), in memory or spilled to disk.",
		ConstLabels: prometheus.Labels{"where": where},
	}, func() float64 { return float64(f()) })
}
