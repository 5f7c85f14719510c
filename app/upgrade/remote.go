package upgrade

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/google/go-github/v62/github"

	"github.com/portico-dev/portico/app/platform"
	"github.com/portico-dev/portico/app/tree"
)

// maxFileBytes bounds one repository file read for an upgrade: a
// generated file larger than this is not something a template renders.
const maxFileBytes = 8 << 20

// Snapshot implements Repository: the default branch and its tip (two
// reads); the files are read when asked, from one recursive tree of the
// tip and one blob per path asked that the tree holds.
func (r *Repo) Snapshot(ctx context.Context) (Snapshot, error) {
	repo, _, err := r.c.Repositories.Get(ctx, r.owner, r.name)
	if err != nil {
		return Snapshot{}, fmt.Errorf("repository: %w", err)
	}
	branch := repo.GetDefaultBranch()
	sha, err := r.Branch(ctx, branch)
	if err != nil {
		return Snapshot{}, fmt.Errorf("default branch %s: %w", branch, err)
	}
	if sha == "" {
		return Snapshot{}, fmt.Errorf("default branch %s: %w", branch, errNoBranch)
	}
	return Snapshot{Branch: branch, SHA: sha, Files: &remoteFiles{r: r, sha: sha}}, nil
}

var errNoBranch = errors.New("the branch does not exist (an empty repository?)")

// remoteFiles reads a commit's files through the API: the tree once.
type remoteFiles struct {
	r   *Repo
	sha string

	once    sync.Once
	entries map[string]*github.TreeEntry
	err     error
	read    tree.Tree // blobs already read: the answers file is asked twice
}

// Files implements plan.Files. It is called by one job at a time.
func (f *remoteFiles) Files(ctx context.Context, paths []string) (tree.Tree, error) {
	f.once.Do(func() { f.err = f.list(ctx) })
	if f.err != nil {
		return nil, f.err
	}
	out := tree.Tree{}
	for _, p := range paths {
		if file, ok := f.read[p]; ok {
			out[p] = file
			continue
		}
		e, ok := f.entries[p]
		if !ok {
			continue
		}
		mode, ok := tree.ParseGitMode(e.GetMode())
		if !ok {
			continue // a submodule: not a file the template can hold
		}
		if e.GetSize() > maxFileBytes {
			return nil, fmt.Errorf("%s is %d bytes, more than %d", p, e.GetSize(), maxFileBytes)
		}
		data, err := platform.Blob(ctx, f.r.c, f.r.owner, f.r.name, e.GetSHA())
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		out[p] = tree.File{Data: data, Mode: mode}
		f.read[p] = out[p]
	}
	return out, nil
}

func (f *remoteFiles) list(ctx context.Context) error {
	t, _, err := f.r.c.Git.GetTree(ctx, f.r.owner, f.r.name, f.sha, true)
	if err != nil {
		return fmt.Errorf("tree of %s: %w", f.sha, err)
	}
	if t.GetTruncated() {
		return fmt.Errorf("tree of %s is too large to list", f.sha)
	}
	f.entries = make(map[string]*github.TreeEntry, len(t.Entries))
	f.read = tree.Tree{}
	for _, e := range t.Entries {
		if e.GetType() == "blob" {
			f.entries[e.GetPath()] = e
		}
	}
	return nil
}

// Clients gives an installation's API client; *gh.Apps is one.
type Clients interface {
	Installation(id int64) (*github.Client, error)
}

// Apps is the Connector of the App: repositories and the platform
// repository through each installation's paced client.
type Apps struct {
	clients  Clients
	platform string // owner/name
}

// NewApps returns the Connector over clients, reading templates from the
// platform repository ("owner/name").
func NewApps(clients Clients, platformRepo string) *Apps {
	return &Apps{clients: clients, platform: platformRepo}
}

// Repository implements Connector.
func (a *Apps) Repository(installation int64, owner, name string) (Repository, error) {
	c, err := a.clients.Installation(installation)
	if err != nil {
		return nil, fmt.Errorf("installation client: %w", err)
	}
	return NewRepo(c, owner, name), nil
}

// Platform implements Connector.
func (a *Apps) Platform(installation int64) (Platform, error) {
	c, err := a.clients.Installation(installation)
	if err != nil {
		return nil, fmt.Errorf("installation client: %w", err)
	}
	return platform.NewTemplates(c, a.platform)
}
