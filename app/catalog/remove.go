package catalog

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// maxNamedRepos is how many repositories a removal's commit message
// names before it counts the rest.
const maxNamedRepos = 5

// Remove deletes every entity recorded from the given repositories in one
// commit, "remove owner/a, owner/b: -D", for repositories that left the
// installation. Nothing is committed when the catalog holds nothing from
// them. The commit records when each repository was removed, so that a
// sync read before then cannot bring its entities back (see
// Source.ReadAt).
func (s *Store) Remove(ctx context.Context, repos ...string) (Result, error) {
	if len(repos) == 0 {
		return Result{}, errors.New("remove: no repository named")
	}
	named := map[string]bool{}
	for _, r := range repos {
		if err := checkRepo(r); err != nil {
			return Result{}, fmt.Errorf("remove: %w", err)
		}
		named[r] = true
	}
	res, err := s.RemoveWhere(ctx, func(repo string) bool { return named[repo] })
	if res.Repo == "" {
		res.Repo = strings.Join(slices.Sorted(maps.Keys(named)), ", ")
	}
	return res, err
}

// RemoveWhere is Remove for every source repository that match accepts,
// chosen from the sources of the very tree the removal commits on, such
// as all of an account's repositories when the App is uninstalled.
func (s *Store) RemoveWhere(ctx context.Context, match func(repo string) bool) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.write(ctx, func() (Result, error) { return s.remove(ctx, match) })
}

// remove plans and commits one removal on the branch's tip.
func (s *Store) remove(ctx context.Context, match func(string) bool) (Result, error) {
	o, err := s.begin("")
	if err != nil {
		return Result{}, fmt.Errorf("remove: %w", err)
	}
	sources, err := o.sources()
	if err != nil {
		return Result{}, fmt.Errorf("remove: %w", err)
	}
	var repos []string
	for _, r := range sources {
		if match(r) {
			repos = append(repos, r)
		}
	}
	res := Result{Repo: strings.Join(repos, ", ")}
	now := time.Now()
	emptied := map[string]sourceIndex{}
	for _, r := range repos {
		ix, err := o.readIndex(r)
		if err != nil {
			return Result{}, fmt.Errorf("remove %s: %w", r, err)
		}
		emptied[r] = sourceIndex{}
		if err := o.put(removedPath(r), []byte(now.UTC().Format(time.RFC3339Nano)+"\n")); err != nil {
			return Result{}, err
		}
		for cp := range ix {
			res.Deleted = append(res.Deleted, cp)
			o.changes[cp] = plumbing.ZeroHash
			if err := o.dropScore(cp, &res); err != nil {
				return Result{}, fmt.Errorf("remove %s: %w", r, err)
			}
		}
	}
	sort.Strings(res.Deleted)
	sort.Strings(res.Scores)
	return s.finish(ctx, o, emptied, &res, fmt.Sprintf("remove %s: -%d", namedRepos(repos), len(res.Deleted)))
}

// namedRepos lists repositories for a commit message, the first few by
// name.
func namedRepos(repos []string) string {
	if len(repos) <= maxNamedRepos {
		return strings.Join(repos, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(repos[:maxNamedRepos], ", "), len(repos)-maxNamedRepos)
}

// Sources lists the repositories the catalog holds entities from, as
// owner/name, sorted.
func (s *Store) Sources() ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.begin("")
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	return o.sources()
}

// sources lists the repositories that have an index in the op's tree.
func (o *op) sources() ([]string, error) {
	dir, err := o.trees.lookupTree(o.root, indexDir)
	if err != nil || dir.IsZero() {
		return nil, err
	}
	owners, err := o.trees.entries(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for owner, oe := range owners {
		if oe.Mode != filemode.Dir {
			continue
		}
		files, err := o.trees.entries(oe.Hash)
		if err != nil {
			return nil, err
		}
		for name, fe := range files {
			if repo, ok := strings.CutSuffix(name, indexExt); ok && fe.Mode != filemode.Dir {
				out = append(out, owner+"/"+repo)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}
