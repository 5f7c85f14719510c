package catalog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
)

// Remote is a repository that a Store mirrors, such as a GitHub
// repository. The Store's own repository is then a local copy: before each
// write it is brought to the remote's tip, after each write the new commit
// is pushed, and a push refused because the remote moved meanwhile (another
// replica or a person pushed) is built again on the new tip and retried.
type Remote struct {
	// URL is the remote repository's address, without credentials.
	URL string
	// Auth returns the credentials for one fetch or push (nil: none).
	// It is called each time, so short-lived tokens stay fresh.
	Auth func(ctx context.Context) (transport.AuthMethod, error)
}

// WithRemote has the Store mirror r.
func WithRemote(r Remote) Option { return func(s *Store) { s.remote = &r } }

// Observer hears how a Store's pushes to its remote go, for metrics.
type Observer interface {
	// Pushed says a push reached the remote, after refusals because the
	// remote had moved (0: the first attempt won).
	Pushed(refusals int)
	// Unpushed says whether the local repository now holds commits the
	// remote lacks (a push failed; the next write or Refresh retries).
	Unpushed(pending bool)
}

// WithObserver has the Store report its pushes to o.
func WithObserver(o Observer) Option { return func(s *Store) { s.observe = o } }

// WithLogger has the Store log what it does on its own, such as catching
// up with its remote.
func WithLogger(l *slog.Logger) Option { return func(s *Store) { s.log = l } }

// maxPushAttempts bounds how often one write is rebuilt because the remote
// moved under it. Each refusal means another writer's commit landed, so
// the writers as a whole always progress; but a writer that keeps losing
// to a busier one (another replica working through a queue of syncs)
// only wins once that one pauses, so the backoff grows to give it room.
// A write that still loses fails, and its job runs again later.
const maxPushAttempts = 30

// Backoff between attempts: random, doubling from retryBase to retryMax.
const (
	retryBase = 20 * time.Millisecond
	retryMax  = 2 * time.Second
)

const (
	// trackingRef is the remote's branch as last fetched.
	trackingRef = plumbing.ReferenceName("refs/remotes/origin/main")
	// unpublishedPrefix keeps commits that were made here, never pushed,
	// and overtaken by the remote, so that nothing is thrown away.
	unpublishedPrefix = "refs/portico/unpublished/"
)

// Refresh brings the repository up to date with the remote, pushing
// commits that were made but not pushed (after a crash, or a push that
// failed). Without a remote it does nothing.
func (s *Store) Refresh(ctx context.Context) error {
	if s.remote == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.catchUp(ctx)
}

// write runs build, which makes at most one commit on the branch, and
// publishes it: with a remote, on the remote's tip, retried on a new tip
// when the remote moved. Called with s.mu held.
func (s *Store) write(ctx context.Context, build func() (Result, error)) (Result, error) {
	res, err := s.publish(ctx, build)
	if err == nil && res.Commit != "" {
		s.startUpkeep()
	}
	return res, err
}

// publish makes the write and, with a remote, pushes it.
func (s *Store) publish(ctx context.Context, build func() (Result, error)) (Result, error) {
	if s.remote == nil {
		return build()
	}
	for attempt := 1; ; attempt++ {
		// Fetch on every attempt: after a backoff the remote has likely
		// moved again, and a commit built on a stale tip would only lose.
		if err := s.catchUp(ctx); err != nil {
			return Result{}, err
		}
		res, err := build()
		if err != nil || res.Commit == "" {
			return res, err
		}
		err = s.push(ctx)
		if err == nil {
			s.observe.Pushed(attempt - 1)
			return res, nil
		}
		// The remote's advertisement already showed it moved; anything else
		// (refused at the update, or a real failure) needs a fetch to tell.
		moved, ferr := errors.Is(err, errRemoteMoved), error(nil)
		if !moved {
			moved, ferr = s.remoteMoved(ctx, plumbing.NewHash(res.Commit))
		}
		switch {
		case ferr != nil:
			s.observe.Unpushed(true)
			return res, errors.Join(err, ferr)
		case !moved:
			s.observe.Unpushed(true)
			return res, err // a real failure: the commit waits for the next catch-up
		case attempt == maxPushAttempts:
			s.observe.Unpushed(true)
			return res, fmt.Errorf("push: the remote moved under %d attempts in a row: %w", attempt, err)
		}
		if err := s.setBranch(plumbing.NewHash(res.Commit), s.mustRef(trackingRef)); err != nil {
			return Result{}, err
		}
		if err := backoff(ctx, attempt); err != nil {
			return Result{}, err
		}
	}
}

// backoff waits a random time that grows with attempt, so that writers
// refused together do not retry in lockstep, the same one winning each
// time.
func backoff(ctx context.Context, attempt int) error {
	d := min(retryMax, retryBase<<min(attempt, 16))
	t := time.NewTimer(d/2 + rand.N(d/2))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// remoteMoved fetches and reports whether the remote's branch is no
// longer the parent of commit, that is whether a push of commit was
// refused because another writer got there first.
func (s *Store) remoteMoved(ctx context.Context, commit plumbing.Hash) (bool, error) {
	if err := s.fetch(ctx); err != nil {
		return false, err
	}
	c, err := s.repo.CommitObject(commit)
	if err != nil {
		return false, fmt.Errorf("read commit %s: %w", commit, err)
	}
	parent := plumbing.ZeroHash
	if len(c.ParentHashes) > 0 {
		parent = c.ParentHashes[0]
	}
	return s.mustRef(trackingRef) != parent, nil
}

// catchUp fetches the remote and reconciles the branch with it: behind,
// it fast-forwards; ahead (commits made but not pushed), it pushes; both
// moved, the local commits are kept under refs/portico/unpublished/ and
// the branch takes the remote's tip (the jobs that made them had not
// finished, so they run again and rebuild them on the remote's tip).
func (s *Store) catchUp(ctx context.Context) error {
	if err := s.reconcile(ctx); err != nil {
		return err
	}
	s.observe.Unpushed(false) // the branch is the remote's now
	return nil
}

// reconcile is catchUp but for reporting.
func (s *Store) reconcile(ctx context.Context) error {
	if err := s.fetch(ctx); err != nil {
		return err
	}
	local, remote := s.mustRef(Branch), s.mustRef(trackingRef)
	switch {
	case local == remote:
		return nil
	case local.IsZero():
		return s.setBranch(local, remote)
	case remote.IsZero():
		return s.pushPending(ctx, local)
	}
	if ok, err := s.isAncestor(local, remote); err != nil || ok {
		return errors.Join(err, s.setBranch(local, remote))
	}
	if ok, err := s.isAncestor(remote, local); err != nil || ok {
		return errors.Join(err, s.pushPending(ctx, local))
	}
	keep := plumbing.ReferenceName(unpublishedPrefix + local.String())
	if err := s.repo.Storer.SetReference(plumbing.NewHashReference(keep, local)); err != nil {
		return fmt.Errorf("keep unpublished commit %s: %w", local, err)
	}
	s.log.Warn("catalog commits made here were overtaken by the remote: kept, and the branch follows the remote",
		"kept", keep.String(), "remote", remote.String())
	return s.setBranch(local, remote)
}

// pushPending pushes local commits that the remote lacks.
func (s *Store) pushPending(ctx context.Context, local plumbing.Hash) error {
	if err := s.push(ctx); err != nil {
		s.observe.Unpushed(true)
		return fmt.Errorf("push pending catalog commits: %w", err)
	}
	s.observe.Pushed(0)
	s.log.Info("catalog caught up: pushed commits made before", "commit", local.String())
	return nil
}

// noObserver is the Observer of a Store given none.
type noObserver struct{}

func (noObserver) Pushed(int)    {}
func (noObserver) Unpushed(bool) {}

// fetch updates trackingRef from the remote; an empty remote, or one
// without the branch, deletes it.
func (s *Store) fetch(ctx context.Context) error {
	auth, err := s.auth(ctx)
	if err != nil {
		return err
	}
	spec := config.RefSpec("+" + Branch.String() + ":" + trackingRef.String())
	err = s.origin().FetchContext(ctx, &git.FetchOptions{RefSpecs: []config.RefSpec{spec}, Auth: auth, Tags: git.NoTags})
	switch {
	case err == nil, errors.Is(err, git.NoErrAlreadyUpToDate):
		return nil
	case errors.Is(err, transport.ErrEmptyRemoteRepository), errors.Is(err, git.NoMatchingRefSpecError{}):
		if err := s.repo.Storer.RemoveReference(trackingRef); err != nil {
			return fmt.Errorf("forget remote branch: %w", err)
		}
		return nil
	}
	return fmt.Errorf("fetch catalog from %s: %w", s.remote.URL, err)
}

// push sends the branch to the remote, where it must fast-forward, and
// records where the remote is now.
func (s *Store) push(ctx context.Context) error {
	if err := s.pushBranch(ctx); err != nil {
		return fmt.Errorf("push catalog to %s: %w", s.remote.URL, err)
	}
	h := s.mustRef(Branch)
	return s.repo.Storer.SetReference(plumbing.NewHashReference(trackingRef, h))
}

func (s *Store) origin() *git.Remote {
	return git.NewRemote(s.repo.Storer, &config.RemoteConfig{Name: "origin", URLs: []string{s.remote.URL}})
}

func (s *Store) auth(ctx context.Context) (transport.AuthMethod, error) {
	if s.remote.Auth == nil {
		return nil, nil
	}
	a, err := s.remote.Auth(ctx)
	if err != nil {
		return nil, fmt.Errorf("credentials for %s: %w", s.remote.URL, err)
	}
	return a, nil
}

// mustRef returns a reference's hash, zero when it does not exist or
// cannot be read (which the next write to it reports).
func (s *Store) mustRef(name plumbing.ReferenceName) plumbing.Hash {
	ref, err := s.repo.Storer.Reference(name)
	if err != nil {
		return plumbing.ZeroHash
	}
	return ref.Hash()
}

// setBranch moves the branch from old to h, or deletes it when h is zero.
func (s *Store) setBranch(old, h plumbing.Hash) error {
	if h.IsZero() {
		return s.repo.Storer.RemoveReference(Branch)
	}
	var prev *plumbing.Reference
	if !old.IsZero() {
		prev = plumbing.NewHashReference(Branch, old)
	}
	if err := s.repo.Storer.CheckAndSetReference(plumbing.NewHashReference(Branch, h), prev); err != nil {
		return fmt.Errorf("move branch to %s: %w", h, err)
	}
	return nil
}

// maxAncestorWalk bounds the history isAncestor reads; beyond it the two
// commits count as unrelated, which only costs keeping a ref.
const maxAncestorWalk = 100000

// isAncestor reports whether a is reachable from b.
func (s *Store) isAncestor(a, b plumbing.Hash) (bool, error) {
	seen := map[plumbing.Hash]bool{b: true}
	queue := []plumbing.Hash{b}
	for len(queue) > 0 && len(seen) < maxAncestorWalk {
		h := queue[0]
		queue = queue[1:]
		if h == a {
			return true, nil
		}
		c, err := s.repo.CommitObject(h)
		if err != nil {
			return false, fmt.Errorf("read commit %s: %w", h, err)
		}
		for _, p := range c.ParentHashes {
			if !seen[p] {
				seen[p] = true
				queue = append(queue, p)
			}
		}
	}
	return false, nil
}
