package platform

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/google/go-github/v62/github"

	"github.com/portico-dev/portico/app/policy"
	"github.com/portico-dev/portico/policies"
)

// PoliciesDir is the folder of the configuration repository that holds
// the Rego bundle.
const PoliciesDir = "policies"

// maxPolicyFiles bounds what one configuration repository may make us fetch.
const maxPolicyFiles = 500

// Clients gives the API client of an installation.
type Clients interface {
	Installation(id int64) (*github.Client, error)
}

// Source yields the compiled policy engine for an installation.
type Source struct {
	repo    string // owner/name, or "" for a fixed bundle
	fixed   *policy.Engine
	fsys    fs.FS // a fixed bundle's files; nil for the embedded one
	clients Clients
	opts    []policy.Option

	mu    sync.Mutex
	sha   string // commit the cached engine was compiled from
	cache *policy.Engine
}

// Fixed returns a Source that always gives the bundle in fsys: the embedded
// defaults, or a local directory, compiled with opts.
func Fixed(ctx context.Context, fsys fs.FS, opts ...policy.Option) (*Source, error) {
	given := fsys
	if fsys == nil {
		fsys = policies.FS
	}
	eng, err := policy.New(ctx, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("platform policies: %w", err)
	}
	return &Source{fixed: eng, fsys: given}, nil
}

// Repository returns a Source that reads policies/ from the default branch
// of repo ("owner/name") through each installation's client, compiling
// once per commit. A repository without a policies/ folder gives the
// embedded defaults. Each commit's bundle is compiled with opts, checked
// here so that a misspelt setting fails at start, not at the first check.
func Repository(repo string, clients Clients, opts ...policy.Option) (*Source, error) {
	if _, _, ok := strings.Cut(repo, "/"); !ok {
		return nil, fmt.Errorf("platform repository %q: want owner/name", repo)
	}
	if err := policy.CheckOptions(opts...); err != nil {
		return nil, fmt.Errorf("platform policies: %w", err)
	}
	return &Source{repo: repo, clients: clients, opts: opts}, nil
}

// Policy returns the engine to check installation's pull requests with.
func (s *Source) Policy(ctx context.Context, installation int64) (*policy.Engine, error) {
	if s.repo == "" {
		return s.fixed, nil
	}
	c, err := s.clients.Installation(installation)
	if err != nil {
		return nil, fmt.Errorf("platform policies: %w", err)
	}
	owner, name, _ := strings.Cut(s.repo, "/")
	sha, err := defaultBranchTip(ctx, c, owner, name)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sha == sha && s.cache != nil {
		return s.cache, nil
	}
	eng, err := compileAt(ctx, c, owner, name, sha, s.opts)
	if err != nil {
		return nil, err
	}
	s.sha, s.cache = sha, eng
	return eng, nil
}

func defaultBranchTip(ctx context.Context, c *github.Client, owner, name string) (string, error) {
	repo, _, err := c.Repositories.Get(ctx, owner, name)
	if err != nil {
		return "", fmt.Errorf("platform repository %s/%s: %w", owner, name, err)
	}
	commit, _, err := c.Repositories.GetCommit(ctx, owner, name, repo.GetDefaultBranch(), nil)
	if err != nil {
		return "", fmt.Errorf("platform repository %s/%s default branch: %w", owner, name, err)
	}
	return commit.GetSHA(), nil
}

// compileAt fetches policies/ at commit sha and compiles it. It reads the
// root tree, then only the policies/ subtree, so a large repository costs
// no more than a small one.
func compileAt(ctx context.Context, c *github.Client, owner, name, sha string, opts []policy.Option) (*policy.Engine, error) {
	dir, err := policiesTree(ctx, c, owner, name, sha)
	if err != nil {
		return nil, err
	}
	var fsys fs.FS = policies.FS
	if dir != nil {
		if fsys, err = fetchRego(ctx, c, owner, name, dir); err != nil {
			return nil, err
		}
	}
	eng, err := policy.New(ctx, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("platform policies at %s: %w", sha[:min(len(sha), 12)], err)
	}
	return eng, nil
}

// policiesTree returns the policies/ subtree at commit sha, or nil when the
// repository has none.
func policiesTree(ctx context.Context, c *github.Client, owner, name, sha string) (*github.Tree, error) {
	root, _, err := c.Git.GetTree(ctx, owner, name, sha, false)
	if err != nil {
		return nil, fmt.Errorf("platform repository tree at %s: %w", sha, err)
	}
	for _, e := range root.Entries {
		if e.GetPath() == PoliciesDir && e.GetType() == "tree" {
			t, _, err := c.Git.GetTree(ctx, owner, name, e.GetSHA(), true)
			if err != nil {
				return nil, fmt.Errorf("platform repository %s/: %w", PoliciesDir, err)
			}
			return t, nil
		}
	}
	return nil, nil
}

func fetchRego(ctx context.Context, c *github.Client, owner, name string, dir *github.Tree) (fs.FS, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	n := 0
	for _, e := range dir.Entries {
		p := e.GetPath()
		if e.GetType() != "blob" || !strings.HasSuffix(p, ".rego") {
			continue
		}
		if n++; n > maxPolicyFiles {
			return nil, fmt.Errorf("platform repository: more than %d policy files", maxPolicyFiles)
		}
		data, err := Blob(ctx, c, owner, name, e.GetSHA())
		if err != nil {
			return nil, fmt.Errorf("platform policy %s/%s: %w", PoliciesDir, p, err)
		}
		if err := addFile(zw, p, data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("platform policies: %w", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		return nil, fmt.Errorf("platform policies: %w", err)
	}
	return zr, nil
}

// addFile stores one file, uncompressed, in the in-memory archive. A zip
// archive is the standard library's in-memory fs.FS with directories
// outside testing/fstest, which must not link into the binary.
func addFile(zw *zip.Writer, name string, data []byte) error {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
	if err == nil {
		_, err = w.Write(data)
	}
	if err != nil {
		return fmt.Errorf("platform policy %s/%s: %w", PoliciesDir, name, err)
	}
	return nil
}

// Blob fetches a blob's content through the Git Data API: the one reader
// of blobs for every flow that reads a repository's files by tree entry.
func Blob(ctx context.Context, c *github.Client, owner, name, sha string) ([]byte, error) {
	b, _, err := c.Git.GetBlob(ctx, owner, name, sha)
	if err != nil {
		return nil, err
	}
	if b.GetEncoding() != "base64" {
		return []byte(b.GetContent()), nil
	}
	return base64.StdEncoding.DecodeString(strings.ReplaceAll(b.GetContent(), "\n", ""))
}
