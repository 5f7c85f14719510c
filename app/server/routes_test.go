package server

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/portico-dev/portico/app/config"
)

// TestOperationalEndpointsApart: with metrics_listen, /metrics and the
// probes answer only on its handler and the public one answers them 404;
// without, the public one answers them.
func TestOperationalEndpointsApart(t *testing.T) {
	t.Parallel()
	cases := []struct {
		metricsListen string
		handler       string // public or metrics
		path          string
		status        int
	}{
		{"", "public", "/metrics", 200},
		{"", "public", "/healthz", 200},
		{"", "public", "/", 200},
		{"127.0.0.1:9090", "public", "/metrics", 404},
		{"127.0.0.1:9090", "public", "/healthz", 404},
		{"127.0.0.1:9090", "public", "/readyz", 404},
		{"127.0.0.1:9090", "public", "/", 200},
		{"127.0.0.1:9090", "metrics", "/metrics", 200},
		{"127.0.0.1:9090", "metrics", "/healthz", 200},
		{"127.0.0.1:9090", "metrics", "/webhooks", 404},
		{"127.0.0.1:9090", "metrics", "/", 404},
		{"127.0.0.1:9090", "metrics", "/setup", 404},
	}
	for _, c := range cases {
		t.Run(c.metricsListen+" "+c.handler+c.path, func(t *testing.T) {
			t.Parallel()
			cfg := config.Default()
			cfg.MetricsListen = c.metricsListen
			s := &Server{cfg: cfg, log: slog.New(slog.DiscardHandler), reg: prometheus.NewRegistry()}
			h := s.Handler()
			if c.handler == "metrics" {
				h = s.MetricsHandler()
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, c.path, nil))
			if w.Code != c.status {
				t.Errorf("GET %s on the %s port: %d, want %d", c.path, c.handler, w.Code, c.status)
			}
		})
	}
}
