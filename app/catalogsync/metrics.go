package catalogsync

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// Sync outcomes, the values of the outcome label.
const (
	outcomeRecorded = "recorded" // every entity recorded (or nothing changed)
	outcomeRefused  = "refused"  // some entities invalid or conflicting: the previous versions stay
	outcomeFailed   = "failed"   // the sync did not happen this attempt (it is retried or cancelled)
)

// WithRegisterer counts syncs by outcome in portico_catalog_syncs_total,
// so that refused entities are visible on a dashboard and not only in the
// log and the neutral check.
func (r *Runner) WithRegisterer(reg prometheus.Registerer) *Runner {
	r.syncs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "portico_catalog_syncs_total",
		Help: "Catalog syncs of pushed commits, by outcome (recorded, refused, failed).",
	}, []string{"outcome"})
	if err := reg.Register(r.syncs); err != nil {
		// A second Runner on the same registry (the App created again)
		// counts into the first one's counter.
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			r.syncs = are.ExistingCollector.(*prometheus.CounterVec)
		}
	}
	return r
}

func (r *Runner) count(outcome string) {
	if r.syncs != nil {
		r.syncs.WithLabelValues(outcome).Inc()
	}
}
