package catalog

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Branch is the branch of the central repository that holds the catalog.
const Branch = plumbing.ReferenceName("refs/heads/main")

// Author is the name on every catalog commit.
const Author = "portico"

const authorEmail = "portico@localhost"

// Store records the catalog in one bare repository. It is the single
// writer of that repository in this process: its methods serialise on a
// mutex, and nothing else may write the repository while it is open.
type Store struct {
	mu      sync.Mutex
	repo    *git.Repository
	remote  *Remote // nil: the repository is the record itself
	observe Observer
	log     *slog.Logger
	path    string // of the repository on disk
	// upkeep in the background: writes since Open pace it, upkeeping says
	// it runs, bg waits for it.
	writes    int
	minLoose  int // loose objects that upkeep packs: maxLoose
	upkeeping atomic.Bool
	bg        sync.WaitGroup
	// trees keeps the listings of the trees recent writes read or made,
	// by hash (so never stale): the next push to the same directories
	// need not decode them again.
	trees map[plumbing.Hash]map[string]object.TreeEntry
	// locationHosts are the hosts beyond a source's organisation that its
	// Location entities may target.
	locationHosts []string
}

// maxCachedTrees bounds Store.trees; a catalog has a few directories per
// namespace, so this holds every one of them in practice.
const maxCachedTrees = 4096

// Option configures a Store.
type Option func(*Store)

// Open opens the bare repository at path, creating it (with main as its
// default branch) when path does not exist or is an empty directory.
func Open(path string, opts ...Option) (*Store, error) {
	repo, err := git.PlainOpen(path)
	if errors.Is(err, git.ErrRepositoryNotExists) && !isEmptyDirOrMissing(path) {
		return nil, fmt.Errorf("open catalog repository %s: not a git repository and not empty", path)
	}
	if errors.Is(err, git.ErrRepositoryNotExists) {
		repo, err = git.PlainInitWithOptions(path, &git.PlainInitOptions{
			InitOptions: git.InitOptions{DefaultBranch: Branch},
			Bare:        true,
		})
	}
	if err != nil {
		return nil, fmt.Errorf("open catalog repository %s: %w", path, err)
	}
	s := &Store{repo: repo, path: bareDir(path), minLoose: maxLoose, observe: noObserver{}, log: slog.New(slog.DiscardHandler), trees: map[plumbing.Hash]map[string]object.TreeEntry{}}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// head returns the branch's reference and the root tree of its commit,
// both nil/zero on an empty repository.
func (s *Store) head() (*plumbing.Reference, plumbing.Hash, error) {
	ref, err := s.repo.Storer.Reference(Branch)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, plumbing.ZeroHash, nil
	}
	if err != nil {
		return nil, plumbing.ZeroHash, fmt.Errorf("read branch: %w", err)
	}
	c, err := object.GetCommit(s.repo.Storer, ref.Hash())
	if err != nil {
		return nil, plumbing.ZeroHash, fmt.Errorf("read head commit: %w", err)
	}
	return ref, c.TreeHash, nil
}

// commit stores a commit of tree on top of parent and moves the branch to
// it unless it moved meanwhile.
func (s *Store) commit(parent *plumbing.Reference, tree plumbing.Hash, msg string) (string, error) {
	sig := object.Signature{Name: Author, Email: authorEmail, When: time.Now()}
	c := &object.Commit{Author: sig, Committer: sig, Message: msg, TreeHash: tree}
	if parent != nil {
		c.ParentHashes = []plumbing.Hash{parent.Hash()}
	}
	obj := s.repo.Storer.NewEncodedObject()
	if err := c.Encode(obj); err != nil {
		return "", fmt.Errorf("encode commit: %w", err)
	}
	h, err := s.repo.Storer.SetEncodedObject(obj)
	if err != nil {
		return "", fmt.Errorf("store commit: %w", err)
	}
	if err := s.repo.Storer.CheckAndSetReference(plumbing.NewHashReference(Branch, h), parent); err != nil {
		return "", fmt.Errorf("move branch: %w", err)
	}
	return h.String(), nil
}

// writeBlob stores data as a blob in dst.
func writeBlob(dst objectWriter, data []byte) (plumbing.Hash, error) {
	obj := dst.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	obj.SetSize(int64(len(data)))
	w, err := obj.Writer()
	if err == nil {
		_, err = w.Write(data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write blob: %w", err)
	}
	h, err := dst.SetEncodedObject(obj)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("store blob: %w", err)
	}
	return h, nil
}

// readBlob returns the content of a blob.
func (s *Store) readBlob(h plumbing.Hash) ([]byte, error) {
	b, err := object.GetBlob(s.repo.Storer, h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	r, err := b.Reader()
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	defer r.Close()
	return io.ReadAll(r)
}

// bareDir is path when it is a bare repository, which upkeep works on,
// else "" (a checkout's repository is left to git).
func bareDir(path string) string {
	if fi, err := os.Stat(filepath.Join(path, "objects")); err == nil && fi.IsDir() {
		return path
	}
	return ""
}

func isEmptyDirOrMissing(path string) bool {
	entries, err := os.ReadDir(path)
	return errors.Is(err, os.ErrNotExist) || (err == nil && len(entries) == 0)
}
