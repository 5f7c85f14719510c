package platform

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/google/go-github/v62/github"

	"github.com/portico-dev/portico/app/templating"
)

// Bounds on what one commit's templates/ may make portico fetch.
const (
	maxTemplateFiles = 2000
	maxTemplateBytes = 64 << 20
)

// Templates reads the platform configuration's templates/ folder through
// an installation's client, at any commit: the history that template
// upgrades render a repository's recorded version from.
type Templates struct {
	c           *github.Client
	owner, name string
}

// NewTemplates returns the templates of repo ("owner/name") read through c.
func NewTemplates(c *github.Client, repo string) (*Templates, error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" {
		return nil, fmt.Errorf("platform repository %q: want owner/name", repo)
	}
	return &Templates{c: c, owner: owner, name: name}, nil
}

// Tip returns the commit at the tip of the default branch.
func (t *Templates) Tip(ctx context.Context) (string, error) {
	return defaultBranchTip(ctx, t.c, t.owner, t.name)
}

// At returns the platform configuration's templates/ at commit as a file
// system holding templates/ at its root: the root tree, the templates/
// subtree (recursive), and one blob per file. Skeletons that a template
// reaches outside templates/ are not read. A commit without templates/
// gives an empty file system.
func (t *Templates) At(ctx context.Context, commit string) (fs.FS, error) {
	dir, err := t.subtree(ctx, commit)
	if err != nil || dir == nil {
		return templating.Mount(templating.TemplatesDir, emptyFS{}), err
	}
	if dir.GetTruncated() {
		return nil, fmt.Errorf("platform repository %s/ at %s: too many files to list", templating.TemplatesDir, commit)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if err := t.fetchAll(ctx, zw, dir); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("platform templates: %w", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		return nil, fmt.Errorf("platform templates: %w", err)
	}
	return templating.Mount(templating.TemplatesDir, zr), nil
}

func (t *Templates) subtree(ctx context.Context, commit string) (*github.Tree, error) {
	root, _, err := t.c.Git.GetTree(ctx, t.owner, t.name, commit, false)
	if err != nil {
		return nil, fmt.Errorf("platform repository tree at %s: %w", commit, err)
	}
	for _, e := range root.Entries {
		if e.GetPath() == templating.TemplatesDir && e.GetType() == "tree" {
			d, _, err := t.c.Git.GetTree(ctx, t.owner, t.name, e.GetSHA(), true)
			if err != nil {
				return nil, fmt.Errorf("platform repository %s/: %w", templating.TemplatesDir, err)
			}
			return d, nil
		}
	}
	return nil, nil
}

func (t *Templates) fetchAll(ctx context.Context, zw *zip.Writer, dir *github.Tree) error {
	n, size := 0, 0
	for _, e := range dir.Entries {
		if e.GetType() != "blob" {
			continue
		}
		if n++; n > maxTemplateFiles {
			return fmt.Errorf("platform repository: more than %d files under %s/", maxTemplateFiles, templating.TemplatesDir)
		}
		if size += e.GetSize(); size > maxTemplateBytes {
			return fmt.Errorf("platform repository: more than %d bytes under %s/", maxTemplateBytes, templating.TemplatesDir)
		}
		data, err := Blob(ctx, t.c, t.owner, t.name, e.GetSHA())
		if err != nil {
			return fmt.Errorf("platform template file %s: %w", path.Join(templating.TemplatesDir, e.GetPath()), err)
		}
		hdr := &zip.FileHeader{Name: e.GetPath(), Method: zip.Store}
		if e.GetMode() == "100755" {
			hdr.SetMode(0o755)
		}
		w, err := zw.CreateHeader(hdr)
		if err == nil {
			_, err = w.Write(data)
		}
		if err != nil {
			return fmt.Errorf("platform template file %s: %w", e.GetPath(), err)
		}
	}
	return nil
}

// Subjects returns the subjects of the commits reachable from commit that
// touch dir, newest first, stopping before stop (exclusive) when it is
// listed: one request, at most limit commits.
func (t *Templates) Subjects(ctx context.Context, commit, dir, stop string, limit int) ([]string, error) {
	cs, _, err := t.c.Repositories.ListCommits(ctx, t.owner, t.name, &github.CommitsListOptions{
		SHA: commit, Path: dir, ListOptions: github.ListOptions{PerPage: limit},
	})
	if err != nil {
		return nil, fmt.Errorf("platform repository commits of %s: %w", dir, err)
	}
	var out []string
	for _, c := range cs {
		if c.GetSHA() == stop {
			break
		}
		subject, _, _ := strings.Cut(c.GetCommit().GetMessage(), "\n")
		out = append(out, subject)
	}
	return out, nil
}

// emptyFS is a file system with nothing in it.
type emptyFS struct{}

func (emptyFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}
