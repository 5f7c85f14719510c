package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/jobs"
	"github.com/portico-dev/portico/app/store"
	"github.com/portico-dev/portico/app/upgrade"
	"github.com/portico-dev/portico/app/webhook"
)

// shutdownGrace is how long running jobs and requests get to finish on
// SIGTERM before they are interrupted (and retried after restart).
const shutdownGrace = 20 * time.Second

// maxHeaderBytes bounds a request's headers (net/http's default is 1 MB).
// GitHub's and browsers' fit in a few KB; a stranger's need not be held.
const maxHeaderBytes = 64 << 10

// spillDir, in the data directory, holds webhook bodies too large for
// memory while they are read and verified.
const spillDir = "webhooks"

// Server is a running portico App.
type Server struct {
	cfg   *config.Config
	log   *slog.Logger
	reg   *prometheus.Registry
	db    *store.DB
	queue *jobs.Queue
	// catalog is the central catalog repository, <data dir>/catalog.git.
	catalog   *catalog.Store
	refresher *catalogRefresher       // of catalog's remote, if it has one
	app       atomic.Pointer[appMode] // nil until a GitHub App is configured
	setup     http.Handler            // the setup page, while no App is configured
	// intake holds the budgets of webhook bodies in flight, for the
	// whole process.
	intake *webhook.Intake
	// metricsLn is metrics_listen's listener, if set.
	metricsLn net.Listener
	// upgradeMetrics and adoption outlive an App configured again.
	upgradeMetrics *upgrade.Metrics
	adoption       *upgrade.Adoption
}

// New opens the database and queue and, when the configuration names a
// GitHub App, the App's clients. Without one it serves the setup page.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger) (*Server, error) {
	s := &Server{cfg: cfg, log: log, reg: prometheus.NewRegistry()}
	s.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.upgradeMetrics, s.adoption = upgrade.NewMetrics(s.reg), upgrade.NewAdoption(s.reg)
	for _, w := range cfg.Warnings() {
		log.Warn(w)
	}
	db, err := store.Open(ctx, store.Options{DataDir: cfg.DataDir, DatabaseURL: cfg.Database.URL.Reveal(), Logger: log})
	if err != nil {
		return nil, err
	}
	s.db = db
	if err := s.prepareServing(); err != nil {
		db.Close()
		return nil, err
	}
	s.refresher = &catalogRefresher{server: s}
	if s.catalog, err = s.openCatalog(); err != nil {
		db.Close()
		return nil, err
	}
	s.queue, err = jobs.New(db, jobs.Options{Logger: log, Registerer: s.reg,
		JobTimeout: cfg.Jobs.Timeout, RescueStuckJobsAfter: cfg.Jobs.RescueAfter, KeyLease: cfg.Jobs.KeyLease,
		River: upgradeQueue(cfg)})
	if err != nil {
		db.Close()
		return nil, err
	}
	s.handleJobs()
	if err := s.configure(ctx); err != nil {
		s.close(ctx)
		return nil, err
	}
	return s, nil
}

// configure enters App mode from the configuration, or prepares the setup
// page.
func (s *Server) configure(ctx context.Context) error {
	if s.cfg.AppConfigured() {
		return s.enterAppMode(ctx, s.cfg)
	}
	h, err := newSetup(s)
	if err != nil {
		return err
	}
	s.setup = h
	return nil
}

var errNotConfigured = errors.New("no GitHub App is configured yet")

// prepareServing makes the webhook intake and binds metrics_listen, so
// that a taken port stops the start rather than the first scrape.
func (s *Server) prepareServing() error {
	in, err := webhook.NewIntake(filepath.Join(s.cfg.DataDir, spillDir), webhook.DefaultLimits())
	if err != nil {
		return err
	}
	s.intake = in
	if s.cfg.MetricsListen == "" {
		return nil
	}
	if s.metricsLn, err = net.Listen("tcp", s.cfg.MetricsListen); err != nil {
		return fmt.Errorf("listen on metrics_listen: %w", err)
	}
	return nil
}

// newHTTPServer bounds what a client may take: ReadHeaderTimeout stops
// slow headers, ReadTimeout slow bodies (the webhook sets a shorter one),
// maxHeaderBytes large ones.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, MaxHeaderBytes: maxHeaderBytes}
}

// Run serves on ln until ctx ends, then shuts down gracefully: the
// listener stops, in-flight requests finish, running jobs get
// shutdownGrace to complete.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	if err := s.queue.Start(ctx); err != nil {
		return err
	}
	srvs, errc := s.serve(ln)
	sweepCtx, stopSweep := context.WithCancel(ctx)
	defer stopSweep()
	go s.sweep(sweepCtx)
	s.refresher.refresh() // push what a crash left unpushed
	s.logServing(ln)
	select {
	case err := <-errc:
		s.close(context.Background())
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	stopCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	var errs []error
	for _, srv := range srvs {
		errs = append(errs, srv.Shutdown(stopCtx))
	}
	return errors.Join(append(errs, s.close(stopCtx))...)
}

// serve serves the public port on ln and, if set, the metrics port; errc
// gets the first that stops.
func (s *Server) serve(ln net.Listener) ([]*http.Server, <-chan error) {
	errc := make(chan error, 2)
	srvs := []*http.Server{newHTTPServer(s.Handler())}
	go func() { errc <- srvs[0].Serve(ln) }()
	if s.metricsLn != nil {
		m := newHTTPServer(s.MetricsHandler())
		srvs = append(srvs, m)
		go func() { errc <- m.Serve(s.metricsLn) }()
	}
	return srvs, errc
}

func (s *Server) logServing(ln net.Listener) {
	log := s.log.With("addr", ln.Addr().String(), "app_configured", s.app.Load() != nil)
	if s.metricsLn != nil {
		log.Info("portico serving", "metrics_addr", s.metricsLn.Addr().String())
		return
	}
	log.Info("portico serving", "metrics_addr", "", "note", "/metrics, /healthz and /readyz answer on the public port: set metrics_listen to serve them apart")
}

func (s *Server) close(ctx context.Context) error {
	var errs []error
	if s.queue != nil {
		errs = append(errs, s.queue.Stop(ctx))
	}
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	if s.catalog != nil {
		s.catalog.Wait()
	}
	if s.metricsLn != nil {
		s.metricsLn.Close() // when Run never served it; else already closed
	}
	return errors.Join(errs...)
}
