// Package gitfs reads a Git repository's files at a commit as an fs.FS,
// through go-git: no worktree, nothing written, every file's size bounded.
// The template upgrade reads the platform configuration this way at the
// commit a repository was rendered from, whatever the checkout holds now.
package gitfs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// DefaultMaxFile bounds one file read from history: a platform
// configuration holds templates, not build artefacts.
const DefaultMaxFile = 8 << 20

// Repo is a Git repository read at any of its commits. It is safe for
// concurrent use: go-git's objects are not, so every read holds one lock.
type Repo struct {
	mu      sync.Mutex
	repo    *git.Repository
	maxFile int64
}

// Option configures a Repo.
type Option func(*Repo)

// WithMaxFile bounds the size of one file read (DefaultMaxFile unless set).
func WithMaxFile(n int64) Option { return func(r *Repo) { r.maxFile = n } }

// Open opens the repository holding dir (dir itself or a parent of it).
func Open(dir string, opts ...Option) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open repository %s: %w", dir, err)
	}
	repo, err := git.PlainOpenWithOptions(abs, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return nil, fmt.Errorf("open repository %s: %w", dir, err)
	}
	return New(repo, opts...), nil
}

// New reads repo.
func New(repo *git.Repository, opts ...Option) *Repo {
	r := &Repo{repo: repo, maxFile: DefaultMaxFile}
	for _, o := range opts {
		o(r)
	}
	return r
}

// ErrUnknownCommit is returned for a commit the repository does not hold
// (a shallow clone, another repository, a history rewritten away).
var ErrUnknownCommit = errors.New("commit not in the repository")

// Head returns the commit checked out.
func (r *Repo) Head() (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ref, err := r.repo.Head()
	if err != nil {
		return "", fmt.Errorf("read HEAD: %w", err)
	}
	return ref.Hash().String(), nil
}

// At returns the repository's files at commit, a full commit id.
func (r *Repo) At(ctx context.Context, commit string) (fs.FS, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.commit(commit)
	if err != nil {
		return nil, err
	}
	root, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("read the tree of %s: %w", commit, err)
	}
	return &commitFS{repo: r, root: root}, nil
}

func (r *Repo) commit(commit string) (*object.Commit, error) {
	if !plumbing.IsHash(commit) {
		return nil, fmt.Errorf("%q is not a full commit id", commit)
	}
	c, err := r.repo.CommitObject(plumbing.NewHash(commit))
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, fmt.Errorf("%s: %w", commit, ErrUnknownCommit)
	}
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", commit, err)
	}
	return c, nil
}

// Parent returns commit's first parent, "" for a root commit: walking
// first parents follows the history of the branch a commit was made on.
func (r *Repo) Parent(commit string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.commit(commit)
	if err != nil {
		return "", err
	}
	if len(c.ParentHashes) == 0 {
		return "", nil
	}
	return c.ParentHashes[0].String(), nil
}

// Blob returns the id of the file at p in commit ("" when there is
// none): cheap enough to tell, commit by commit, whether a file changed.
func (r *Repo) Blob(commit, p string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.commit(commit)
	if err != nil {
		return "", err
	}
	root, err := c.Tree()
	if err != nil {
		return "", fmt.Errorf("read the tree of %s: %w", commit, err)
	}
	e, err := root.FindEntry(p)
	if errors.Is(err, object.ErrEntryNotFound) || errors.Is(err, object.ErrDirectoryNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s at %s: %w", p, commit, err)
	}
	return e.Hash.String(), nil
}
