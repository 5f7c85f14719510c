package gh

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	remaining *prometheus.GaugeVec
	retries   *prometheus.CounterVec
	waited    *prometheus.CounterVec
	// writeWaited splits waited's "pace" by kind of write and priority.
	writeWaited *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "github_requests_total",
			Help: "Requests sent to GitHub (each try), by method and status code (or \"error\" when no response came).",
		}, []string{"method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "github_request_duration_seconds",
			Help:    "Time to GitHub's response headers, per try.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method"}),
		remaining: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "github_rate_limit_remaining",
			Help: "x-ratelimit-remaining of the latest response, per installation and resource.",
		}, []string{"installation", "resource"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "github_request_retries_total",
			Help: "Requests sent again, by reason.",
		}, []string{"reason"}),
		waited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "github_rate_limit_wait_seconds_total",
			Help: "Time requests spent waiting before being sent, by reason (primary, secondary, pace).",
		}, []string{"reason"}),
		writeWaited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "github_write_wait_seconds_total",
			Help: "Time writes spent waiting for the installation's write budget, by kind (checks, content) and priority (interactive, bulk).",
		}, []string{"kind", "priority"}),
	}
	var errs [6]error
	m.requests, errs[0] = register(reg, m.requests)
	m.duration, errs[1] = register(reg, m.duration)
	m.remaining, errs[2] = register(reg, m.remaining)
	m.retries, errs[3] = register(reg, m.retries)
	m.waited, errs[4] = register(reg, m.waited)
	m.writeWaited, errs[5] = register(reg, m.writeWaited)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, fmt.Errorf("register github metrics: %w", err)
	}
	return m, nil
}

// register registers c, or returns the collector already registered under
// its name, so that two Apps on one registry share their metrics.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	err := reg.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing, nil
		}
	}
	return c, err
}

func (m *metrics) observe(method string, resp *http.Response, elapsed time.Duration) {
	code := "error"
	if resp != nil {
		code = strconv.Itoa(resp.StatusCode)
	}
	m.requests.WithLabelValues(method, code).Inc()
	m.duration.WithLabelValues(method).Observe(elapsed.Seconds())
}
