package plan

import (
	"context"
	"fmt"
	"io/fs"
	"sync"

	"github.com/portico-dev/portico/app/templating"
)

// History is the platform configuration's history: its files at a commit.
type History interface {
	At(ctx context.Context, commit string) (fs.FS, error)
}

// Sides loads templates from the platform configuration's history, each
// commit's once: a fan-out over many repositories generated at the same
// commit lists its templates one time. It is safe for concurrent use.
type Sides struct {
	history History

	mu    sync.Mutex
	loads map[string]*load
}

type load struct {
	once sync.Once
	fsys fs.FS
	ts   []*templating.Template
	err  error
}

// maxCommits bounds the commits whose templates stay loaded.
const maxCommits = 32

// NewSides returns the template loader over h.
func NewSides(h History) *Sides { return &Sides{history: h, loads: map[string]*load{}} }

// Side returns the template named name at commit.
func (s *Sides) Side(ctx context.Context, commit, name string) (Side, error) {
	s.mu.Lock()
	l := s.loads[commit]
	if l == nil {
		if len(s.loads) >= maxCommits {
			clear(s.loads)
		}
		l = &load{}
		s.loads[commit] = l
	}
	s.mu.Unlock()
	l.once.Do(func() { l.fsys, l.ts, l.err = s.list(ctx, commit) })
	if l.err != nil {
		s.forget(commit, l)
		return Side{}, l.err
	}
	t := templating.Find(l.ts, name)
	if t == nil {
		return Side{}, fmt.Errorf("platform configuration at %s: no template named %q", short(commit), name)
	}
	return Side{Template: t, FS: l.fsys, Commit: commit}, nil
}

// forget drops a failed load, so that the next call tries again.
func (s *Sides) forget(commit string, l *load) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loads[commit] == l {
		delete(s.loads, commit)
	}
}

func (s *Sides) list(ctx context.Context, commit string) (fs.FS, []*templating.Template, error) {
	fsys, err := s.history.At(ctx, commit)
	if err != nil {
		return nil, nil, fmt.Errorf("platform configuration at %s: %w", short(commit), err)
	}
	ts, _ := templating.List(fsys)
	return fsys, ts, nil
}

func short(commit string) string {
	if commit == "" {
		return "(no commit)"
	}
	return commit[:min(len(commit), 12)]
}
