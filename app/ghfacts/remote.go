// Package ghfacts reads a repository's facts (app/facts) from GitHub's
// REST API for App mode: facts.Remote over an installation's go-github
// client, so that the facts engine never sees go-github.
//
// Branch protection is read from GET /repos/{owner}/{repo}/branches/
// {branch}, whose `protected` field needs only the contents permission
// that portico has, rather than from .../branches/{branch}/protection,
// which answers 403 to an App without the administration permission
// (and portico asks for none: it never changes protection).
package ghfacts

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/google/go-github/v62/github"

	"github.com/portico-dev/portico/app/facts"
)

// Remote is facts.Remote for one repository.
type Remote struct {
	c           *github.Client
	owner, name string
}

// New returns the Remote of owner/name read through c.
func New(c *github.Client, owner, name string) *Remote {
	return &Remote{c: c, owner: owner, name: name}
}

// Tree lists the tree sha, recursively when asked (?recursive=1).
func (r *Remote) Tree(ctx context.Context, sha string, recursive bool) ([]facts.TreeEntry, bool, error) {
	t, _, err := r.c.Git.GetTree(ctx, r.owner, r.name, sha, recursive)
	if err != nil {
		return nil, false, fmt.Errorf("tree %s of %s/%s: %w", sha, r.owner, r.name, err)
	}
	out := make([]facts.TreeEntry, len(t.Entries))
	for i, e := range t.Entries {
		out[i] = facts.TreeEntry{Path: e.GetPath(), Type: e.GetType(), SHA: e.GetSHA()}
	}
	return out, t.GetTruncated(), nil
}

// DefaultBranch reads the repository's default branch.
func (r *Remote) DefaultBranch(ctx context.Context) (string, error) {
	repo, _, err := r.c.Repositories.Get(ctx, r.owner, r.name)
	if err != nil {
		return "", fmt.Errorf("repository %s/%s: %w", r.owner, r.name, err)
	}
	return repo.GetDefaultBranch(), nil
}

// Protected reports whether branch is protected.
func (r *Remote) Protected(ctx context.Context, branch string) (bool, error) {
	b, _, err := r.c.Repositories.GetBranch(ctx, r.owner, r.name, branch, 0)
	if err != nil {
		return false, fmt.Errorf("branch %s of %s/%s: %w", branch, r.owner, r.name, err)
	}
	return b.GetProtected(), nil
}

// Languages lists the repository's languages, most bytes first.
func (r *Remote) Languages(ctx context.Context) ([]string, error) {
	langs, _, err := r.c.Repositories.ListLanguages(ctx, r.owner, r.name)
	if err != nil {
		return nil, fmt.Errorf("languages of %s/%s: %w", r.owner, r.name, err)
	}
	return slices.SortedFunc(maps.Keys(langs), func(a, b string) int {
		return cmp.Or(cmp.Compare(langs[b], langs[a]), cmp.Compare(a, b))
	}), nil
}
