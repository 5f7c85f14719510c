package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"

	"github.com/portico-dev/portico/app/gitfs"
	"github.com/portico-dev/portico/app/templating"
)

// platformHistory is the history of the platform configuration that
// --templates DIR checks out: DIR's files at any commit, as openPlatform
// shows DIR itself (DIR may be a folder of the repository, or its
// templates folder alone). It implements plan.History.
type platformHistory struct {
	repo *gitfs.Repo
	sub  string // DIR relative to the repository's root, "." at the root
	// mounted: DIR is a templates folder on its own (it has no templates/
	// folder), shown as the templates/ of a platform configuration.
	mounted bool
}

// maxHistoryWalk bounds the commits searched for a template's version.
const maxHistoryWalk = 5000

// openHistory opens the repository holding dir; ok is false when dir is
// not in a Git checkout.
func openHistory(dir string) (*platformHistory, bool, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, false, fmt.Errorf("--templates: %w", err)
	}
	repo, err := git.PlainOpenWithOptions(abs, &git.PlainOpenOptions{DetectDotGit: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("--templates %s: %w", dir, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, false, fmt.Errorf("--templates %s: %w", dir, err)
	}
	top, err := filepath.EvalSymlinks(wt.Filesystem.Root())
	if err != nil {
		return nil, false, fmt.Errorf("--templates %s: %w", dir, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, false, fmt.Errorf("--templates %s: %w", dir, err)
	}
	sub, err := filepath.Rel(top, real)
	if err != nil {
		return nil, false, fmt.Errorf("--templates %s: %w", dir, err)
	}
	_, err = os.Stat(filepath.Join(dir, templating.TemplatesDir))
	return &platformHistory{repo: gitfs.New(repo), sub: filepath.ToSlash(sub), mounted: err != nil}, true, nil
}

// At implements plan.History.
func (h *platformHistory) At(ctx context.Context, commit string) (fs.FS, error) {
	fsys, err := h.repo.At(ctx, commit)
	if err != nil {
		return nil, err
	}
	if h.sub != "." {
		if fsys, err = fs.Sub(fsys, h.sub); err != nil {
			return nil, err
		}
	}
	if h.mounted {
		fsys = templating.Mount(templating.TemplatesDir, fsys)
	}
	return fsys, nil
}

// findVersion walks the first-parent history from HEAD back and returns
// the newest commit whose template at file (its template.yaml, the path
// the working tree's template has in the platform configuration) is at
// version; "" when none of the
// last maxHistoryWalk commits is. Each version of the file is parsed once.
func (h *platformHistory) findVersion(ctx context.Context, file, version string) (string, error) {
	commit, err := h.repo.Head()
	if err != nil {
		return "", err
	}
	inRepo := path.Join(h.sub, file)
	if h.mounted {
		inRepo = path.Join(h.sub, strings.TrimPrefix(file, templating.TemplatesDir+"/"))
	}
	seen := ""
	for i := 0; commit != "" && i < maxHistoryWalk; i++ {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		blob, err := h.repo.Blob(commit, inRepo)
		if err != nil {
			return "", err
		}
		if blob != "" && blob != seen {
			seen = blob
			if v, err := h.versionAt(ctx, commit, file); err == nil && v == version {
				return commit, nil
			}
		}
		if commit, err = h.repo.Parent(commit); err != nil {
			return "", err
		}
	}
	return "", nil
}

func (h *platformHistory) versionAt(ctx context.Context, commit, file string) (string, error) {
	fsys, err := h.At(ctx, commit)
	if err != nil {
		return "", err
	}
	t, _ := templating.Load(fsys, file)
	if t == nil || t.Version == nil {
		return "", fmt.Errorf("no template at %s", file)
	}
	return t.Version.String(), nil
}
