package server

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/catalogsync"
)

// workDiscover queues the syncs of an installation's repositories with the
// App mode of the moment; like checks, it waits for the App.
func (s *Server) workDiscover(ctx context.Context, job *river.Job[catalogsync.DiscoverArgs]) error {
	a := s.app.Load()
	if a == nil {
		return errNotConfigured
	}
	return a.repos.Discover(ctx, job)
}

// workRemove removes repositories that left an installation from the
// catalog.
func (s *Server) workRemove(ctx context.Context, job *river.Job[catalogsync.RemoveArgs]) error {
	a := s.app.Load()
	if a == nil {
		return errNotConfigured
	}
	return a.repos.Remove(ctx, job)
}
