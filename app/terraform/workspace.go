package terraform

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// segment is one part of a workspace id: owner, repository, user, name.
var segment = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$`)

// CheckWorkspaceID reports whether id names a workspace:
// "owner/repo/user/name", four names of letters, digits, '.', '_' and '-',
// none starting with '.' or '-'. A fixed count of parts keeps one
// workspace's directory from lying inside another's.
func CheckWorkspaceID(id string) error {
	parts := strings.Split(id, "/")
	if len(parts) != 4 {
		return fmt.Errorf("workspace id %q: not owner/repo/user/name", id)
	}
	for _, p := range parts {
		if !segment.MatchString(p) {
			return fmt.Errorf("workspace id %q: %q is not a name (letters, digits, '.', '_', '-')", id, p)
		}
	}
	return nil
}

// layout names the files of one workspace under the data directory.
type layout struct {
	dir string // DataDir/terraform/workspaces/<id>
}

func (r *Runner) layout(id string) layout {
	return layout{dir: filepath.Join(r.root, "workspaces", filepath.FromSlash(id))}
}

func (l layout) module() string  { return filepath.Join(l.dir, "module") }
func (l layout) dataDir() string { return filepath.Join(l.dir, ".terraform") }
func (l layout) state() string   { return filepath.Join(l.dir, "terraform.tfstate") }
func (l layout) plan() string    { return filepath.Join(l.dir, "run.tfplan") }
func (l layout) record() string  { return filepath.Join(l.dir, "run.json") }
func (l layout) logs() string    { return filepath.Join(l.dir, "logs") }
func (l layout) lockInfo() string {
	return filepath.Join(l.dir, ".terraform.tfstate.lock.info")
}

// Files the runner writes into the module's copy; a module's own files of
// these names are replaced.
const (
	backendFile = "portico_backend_override.tf.json"
	varsFile    = "portico.auto.tfvars.json"
)

// prepare lays out the module's copy afresh: the module's files, the
// backend override pointing at the workspace's state, and the variables.
func (l layout) prepare(module fs.FS, vars map[string]any) error {
	if module == nil {
		return errors.New("no module")
	}
	if err := os.RemoveAll(l.module()); err != nil {
		return err
	}
	if err := os.MkdirAll(l.module(), 0o700); err != nil {
		return err
	}
	if err := copyFS(l.module(), module); err != nil {
		return fmt.Errorf("copying the module: %w", err)
	}
	backend := map[string]any{"terraform": map[string]any{"backend": map[string]any{"local": map[string]any{"path": l.state()}}}}
	if err := writeJSON(filepath.Join(l.module(), backendFile), backend); err != nil {
		return err
	}
	if vars == nil {
		vars = map[string]any{}
	}
	return writeJSON(filepath.Join(l.module(), varsFile), vars)
}

// copyFS copies the regular files and directories of src into dir;
// symbolic links and other special files are skipped, so a module cannot
// point outside its copy.
func copyFS(dir string, src fs.FS) error {
	return fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		if !fs.ValidPath(p) {
			return fmt.Errorf("%q: not a valid path", p)
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		switch {
		case d.IsDir():
			return os.MkdirAll(dst, 0o700)
		case d.Type().IsRegular():
			b, err := fs.ReadFile(src, p)
			if err != nil {
				return err
			}
			return os.WriteFile(dst, b, 0o600)
		default:
			return nil
		}
	})
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}
