package upgrade

import (
	"errors"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// OutcomeError is the outcome label of an attempt that failed (it is
// retried, or cancelled when no retry can help).
const OutcomeError = "error"

// Metrics counts upgrade jobs by outcome.
type Metrics struct {
	upgrades *prometheus.CounterVec
}

// NewMetrics registers portico_template_upgrades_total on reg, every
// outcome at zero; a second registration counts into the first.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "portico_template_upgrades_total",
		Help: "Template upgrade jobs by outcome: a pull request created, updated, unchanged, skipped (a person's push, or closed for that version), or stopped before one (current, missing_parameters, needs_answers, bad_answers, not_generated), or error.",
	}, []string{"outcome"})
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			c = are.ExistingCollector.(*prometheus.CounterVec)
		}
	}
	for _, r := range Results {
		c.WithLabelValues(r.String())
	}
	for _, s := range Stops {
		c.WithLabelValues(s.String())
	}
	c.WithLabelValues(OutcomeError)
	return &Metrics{upgrades: c}
}

// count adds one to outcome; a nil Metrics counts nothing.
func (m *Metrics) count(outcome string) {
	if m != nil {
		m.upgrades.WithLabelValues(outcome).Inc()
	}
}

// Adoption knows which version of which template each generated
// repository is at, as catalog syncs and upgrade jobs last saw it, and
// exports the count per template and version as
// portico_template_repositories. It lives in the process: after a
// restart it fills again as repositories are synced or upgraded.
type Adoption struct {
	mu    sync.Mutex
	repos map[string]map[string]string // repository -> template -> version
	desc  *prometheus.Desc
}

// NewAdoption returns an empty Adoption registered on reg (nil: not
// exported).
func NewAdoption(reg prometheus.Registerer) *Adoption {
	a := &Adoption{repos: map[string]map[string]string{}, desc: prometheus.NewDesc(
		"portico_template_repositories",
		"Repositories generated from each template, by the version they are at (as last synced or upgraded).",
		[]string{"template", "version"}, nil)}
	if reg != nil {
		_ = reg.Register(a) // a second App on the same registry: the first one's figures stay
	}
	return a
}

// Observe records that repo is at version of template.
func (a *Adoption) Observe(repo, template, version string) {
	if a == nil || template == "" || version == "" {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	ts := a.repos[repo]
	if ts == nil {
		ts = map[string]string{}
		a.repos[repo] = ts
	}
	ts[template] = version
}

// Count returns how many repositories are at version of template.
func (a *Adoption) Count(template, version string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, ts := range a.repos {
		if ts[template] == version {
			n++
		}
	}
	return n
}

// Describe implements prometheus.Collector.
func (a *Adoption) Describe(ch chan<- *prometheus.Desc) { ch <- a.desc }

// Collect implements prometheus.Collector.
func (a *Adoption) Collect(ch chan<- prometheus.Metric) {
	type key struct{ template, version string }
	counts := map[key]int{}
	a.mu.Lock()
	for _, ts := range a.repos {
		for t, v := range ts {
			counts[key{t, v}]++
		}
	}
	a.mu.Unlock()
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(a.desc, prometheus.GaugeValue, float64(n), k.template, k.version)
	}
}
