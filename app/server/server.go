package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/jobs"
	"github.com/portico-dev/portico/app/store"
)

// shutdownGrace is how long running jobs and requests get to finish on
// SIGTERM before they are interrupted (and retried after restart).
const shutdownGrace = 20 * time.Second

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
}

// New opens the database and queue and, when the configuration names a
// GitHub App, the App's clients. Without one it serves the setup page.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger) (*Server, error) {
	s := &Server{cfg: cfg, log: log, reg: prometheus.NewRegistry()}
	s.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, w := range cfg.Warnings() {
		log.Warn(w)
	}
	db, err := store.Open(ctx, store.Options{DataDir: cfg.DataDir, DatabaseURL: cfg.Database.URL.Reveal(), Logger: log})
	if err != nil {
		return nil, err
	}
	s.db = db
	s.refresher = &catalogRefresher{server: s}
	if s.catalog, err = s.openCatalog(); err != nil {
		db.Close()
		return nil, err
	}
	s.queue, err = jobs.New(db, jobs.Options{Logger: log, Registerer: s.reg,
		JobTimeout: cfg.Jobs.Timeout, RescueStuckJobsAfter: cfg.Jobs.RescueAfter, KeyLease: cfg.Jobs.KeyLease})
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

// Run serves on ln until ctx ends, then shuts down gracefully: the
// listener stops, in-flight requests finish, running jobs get
// shutdownGrace to complete.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	if err := s.queue.Start(ctx); err != nil {
		return err
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	sweepCtx, stopSweep := context.WithCancel(ctx)
	defer stopSweep()
	go s.sweep(sweepCtx)
	s.refresher.refresh() // push what a crash left unpushed
	s.log.Info("portico serving", "addr", ln.Addr().String(), "app_configured", s.app.Load() != nil)
	select {
	case err := <-errc:
		s.close(context.Background())
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	stopCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(stopCtx)
	return errors.Join(err, s.close(stopCtx))
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
	return errors.Join(errs...)
}
