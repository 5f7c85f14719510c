package facts

import (
	"context"
	"errors"
	"fmt"
)

// Remote is what App mode reads about a repository on GitHub besides its
// tree, one request each: the repository (its default branch), the
// branch's protection and the languages. The GitHub side implements it;
// facts never sees go-github.
type Remote interface {
	Trees
	DefaultBranch(ctx context.Context) (string, error)
	// Protected reports whether branch is protected (GitHub answers 404
	// for a branch without protection: that is false, not an error).
	Protected(ctx context.Context, branch string) (bool, error)
	// Languages lists the languages, most bytes first.
	Languages(ctx context.Context) ([]string, error)
}

// FromRemote gathers the facts of the repository name at commit sha.
// Whatever cannot be read (GitHub down, a tree it will not list) is
// Unknown, so that the rules needing it are unknown rather than failed;
// err joins the reasons. Callers cache the result per name and sha
// (Cache): facts of a commit never change.
func FromRemote(ctx context.Context, r Remote, name, sha string) (Repository, error) {
	repo := Repository{Name: name, Commit: sha}
	var errs []error
	unknown := func(err error, fs ...Fact) {
		errs = append(errs, err)
		repo.Unknown = append(repo.Unknown, fs...)
	}
	var err error
	if repo.Files, err = TreeFiles(ctx, r, sha); err != nil {
		unknown(err, Files)
	}
	if repo.DefaultBranch, err = r.DefaultBranch(ctx); err != nil {
		unknown(fmt.Errorf("read default branch: %w", err), DefaultBranch, Protected)
	} else if repo.Protected, err = r.Protected(ctx, repo.DefaultBranch); err != nil {
		unknown(fmt.Errorf("read protection of %s: %w", repo.DefaultBranch, err), Protected)
	}
	if repo.Languages, err = r.Languages(ctx); err != nil {
		unknown(fmt.Errorf("read languages: %w", err), Languages)
	}
	if len(errs) > 0 {
		return repo, fmt.Errorf("facts of %s@%s: %w", name, sha, errors.Join(errs...))
	}
	return repo, nil
}
