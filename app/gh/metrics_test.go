package gh

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// counter reads the value of the metric name with the given label pairs
// (counter, gauge, or a histogram's sample count); 0 when absent.
func counter(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if hasLabels(m, labels) {
				return value(m)
			}
		}
	}
	return 0
}

func hasLabels(m *dto.Metric, pairs []string) bool {
	got := map[string]string{}
	for _, l := range m.GetLabel() {
		got[l.GetName()] = l.GetValue()
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if got[pairs[i]] != pairs[i+1] {
			return false
		}
	}
	return true
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	case m.Histogram != nil:
		return float64(m.GetHistogram().GetSampleCount())
	}
	return 0
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	_, srv := newScript(t, clock,
		e502,
		respond(200, `{}`, "X-RateLimit-Remaining: 4321", resetIn(clock, time.Hour), "X-RateLimit-Resource: core"),
		respond(404, `{}`),
		respond(429, `{}`, "Retry-After: 5"),
		ok200)
	c, _, reg := testTransport(t, clock)
	for _, path := range []string{"/a", "/b", "/c"} {
		if _, err := do(t, c, context.Background(), "GET", srv.URL+path, ""); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"github_requests_total", []string{"method", "GET", "code", "502"}, 1},
		{"github_requests_total", []string{"method", "GET", "code", "200"}, 2},
		{"github_requests_total", []string{"method", "GET", "code", "404"}, 1},
		{"github_requests_total", []string{"method", "GET", "code", "429"}, 1},
		{"github_request_duration_seconds", []string{"method", "GET"}, 5},
		{"github_rate_limit_remaining", []string{"installation", "1", "resource", "core"}, 4321},
		{"github_request_retries_total", []string{"reason", "server_error"}, 1},
		{"github_request_retries_total", []string{"reason", "secondary_rate_limit"}, 1},
		{"github_rate_limit_wait_seconds_total", []string{"reason", "secondary"}, 5},
	}
	for _, tt := range tests {
		if got := counter(t, reg, tt.name, tt.labels...); got != tt.want {
			t.Errorf("%s%v = %v, want %v", tt.name, tt.labels, got, tt.want)
		}
	}
}

func TestMetricsShareARegistry(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	for range 2 {
		if _, err := NewApps(1, testKeyPEM(), "https://api.github.com", WithRegisterer(reg)); err != nil {
			t.Fatalf("second Apps on one registry: %v", err)
		}
	}
	conflict := prometheus.NewRegistry()
	conflict.MustRegister(prometheus.NewCounter(prometheus.CounterOpts{Name: "github_requests_total", Help: "other"}))
	if _, err := NewApps(1, testKeyPEM(), "https://api.github.com", WithRegisterer(conflict)); err == nil {
		t.Error("want an error when a different metric holds the name")
	}
}
