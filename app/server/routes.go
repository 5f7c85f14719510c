package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/portico-dev/portico/app/logsafe"
)

// Handler routes the public port: the webhook and setup, and the
// operational endpoints too unless metrics_listen puts them apart, where
// the public port answers them 404.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/webhooks", s.serveWebhook)
	if s.cfg.MetricsListen == "" {
		s.operational(mux)
	} else {
		for _, p := range []string{"/metrics", "/healthz", "/readyz"} {
			mux.HandleFunc(p, http.NotFound)
		}
	}
	mux.HandleFunc("/", s.serveRoot)
	return logRequests(s.log, mux)
}

// MetricsHandler routes the metrics_listen address: /metrics, /healthz
// and /readyz only.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	s.operational(mux)
	return mux
}

// operational adds /metrics, /healthz and /readyz to mux.
func (s *Server) operational(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.serveReady)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{Registry: s.reg}))
}

func (s *Server) serveWebhook(w http.ResponseWriter, r *http.Request) {
	a := s.app.Load()
	if a == nil {
		http.Error(w, "portico is not set up yet: open its address in a browser to create the GitHub App", http.StatusServiceUnavailable)
		return
	}
	a.webhook.ServeHTTP(w, r)
}

func (s *Server) serveReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.log.Error("not ready: database", "error", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	if err := s.queue.Ready(ctx); err != nil {
		s.log.Error("not ready: queue", "error", err)
		http.Error(w, "queue unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}

// serveRoot is the setup page until an App exists, then a short status.
func (s *Server) serveRoot(w http.ResponseWriter, r *http.Request) {
	if s.setup != nil && s.app.Load() == nil {
		s.setup.ServeHTTP(w, r)
		return
	}
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if s.cfg.MetricsListen != "" {
		w.Write([]byte("portico is running as a GitHub App. Webhooks: POST /webhooks.\n"))
		return
	}
	w.Write([]byte("portico is running as a GitHub App. Webhooks: POST /webhooks. Health: /healthz, /readyz. Metrics: /metrics.\n"))
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) { r.status = code; r.ResponseWriter.WriteHeader(code) }

// logRequests logs requests other than webhooks (which log themselves with
// their delivery) and the probes, which would drown the rest. Method and
// path are a stranger's words: bounded and sanitised.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/webhooks", "/healthz", "/readyz", "/metrics":
			next.ServeHTTP(w, r)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		next.ServeHTTP(rec, r)
		log.Info("http request", "method", logsafe.String(r.Method), "path", logsafe.String(r.URL.Path), "status", rec.status, "duration", time.Since(start))
	})
}
