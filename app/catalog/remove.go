package catalog

import (
	"context"
	"fmt"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
)

// Remove deletes every entity recorded from repo in one commit
// "remove owner/repo: -D", for a repository that left the installation.
// Nothing is committed when the catalog holds nothing from repo.
func (s *Store) Remove(ctx context.Context, repo string) (Result, error) {
	if err := checkRepo(repo); err != nil {
		return Result{}, fmt.Errorf("remove: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.begin(repo)
	if err != nil {
		return Result{}, fmt.Errorf("remove %s: %w", repo, err)
	}
	res := Result{Repo: repo}
	for cp := range o.index {
		res.Deleted = append(res.Deleted, cp)
		o.changes[cp] = plumbing.ZeroHash
	}
	sort.Strings(res.Deleted)
	return s.finish(ctx, o, sourceIndex{}, &res, fmt.Sprintf("remove %s: -%d", repo, len(res.Deleted)))
}
