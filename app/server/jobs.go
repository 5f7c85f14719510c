package server

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/catalogsync"
	"github.com/portico-dev/portico/app/checks"
	"github.com/portico-dev/portico/app/jobs"
)

// handleJobs registers every job kind. Each runs with the App mode of
// the moment; jobs recorded before an App exists wait for it.
func (s *Server) handleJobs() {
	jobs.Handle(s.queue, inApp(s, func(a *appMode) work[checks.CheckArgs] { return a.checks.Work }))
	jobs.Handle(s.queue, inApp(s, func(a *appMode) work[catalogsync.SyncArgs] { return s.syncUnlessCentral(a) }))
	jobs.Handle(s.queue, inApp(s, func(a *appMode) work[catalogsync.DiscoverArgs] { return a.repos.Discover }))
	jobs.Handle(s.queue, inApp(s, func(a *appMode) work[catalogsync.RemoveArgs] { return a.repos.Remove }))
	jobs.Handle(s.queue, inApp(s, s.upgradeWork))
	jobs.Handle(s.queue, inApp(s, s.fanOutWork))
}

type work[T river.JobArgs] func(context.Context, *river.Job[T]) error

// inApp runs the work that pick chooses from the App mode of the moment,
// or fails the job for a retry while no App is configured.
func inApp[T river.JobArgs](s *Server, pick func(*appMode) work[T]) work[T] {
	return func(ctx context.Context, job *river.Job[T]) error {
		a := s.app.Load()
		if a == nil {
			return errNotConfigured
		}
		return pick(a)(ctx, job)
	}
}

// syncUnlessCentral records a push in the catalog, unless it is a push to
// the central catalog repository itself.
func (s *Server) syncUnlessCentral(a *appMode) work[catalogsync.SyncArgs] {
	return func(ctx context.Context, job *river.Job[catalogsync.SyncArgs]) error {
		if s.isCentral(job.Args.Owner, job.Args.Repo) {
			s.log.Info("the central catalog repository is the record, not a source: not synced", "repository", s.cfg.Catalog.Repository)
			return nil
		}
		return a.sync.Work(ctx, job)
	}
}
