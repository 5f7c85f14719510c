package gitfs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// commitFS is one commit's tree. Directories and files are read when
// opened; symbolic links are reported as links (ReadLink, Lstat, ReadDir)
// and Open follows one only to a target inside the tree, so nothing read
// through it leaves the tree.
type commitFS struct {
	repo *Repo
	root *object.Tree
}

var (
	_ fs.ReadDirFS  = (*commitFS)(nil)
	_ fs.ReadFileFS = (*commitFS)(nil)
	_ fs.StatFS     = (*commitFS)(nil)
	_ fs.ReadLinkFS = (*commitFS)(nil)
)

// entry finds name, a valid fs path; the root is a directory entry.
func (c *commitFS) entry(op, name string) (object.TreeEntry, error) {
	if !fs.ValidPath(name) {
		return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return object.TreeEntry{Name: ".", Mode: filemode.Dir, Hash: c.root.Hash}, nil
	}
	e, err := c.root.FindEntry(name)
	if errors.Is(err, object.ErrEntryNotFound) || errors.Is(err, object.ErrDirectoryNotFound) {
		return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	if err != nil {
		return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: err}
	}
	return *e, nil
}

func (c *commitFS) Open(name string) (fs.File, error) {
	c.repo.mu.Lock()
	defer c.repo.mu.Unlock()
	e, err := c.follow(name)
	if err != nil {
		return nil, err
	}
	if e.Mode == filemode.Dir {
		ents, err := c.readDir(e)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &dir{info: info(path.Base(name), e.Mode, 0), ents: ents}, nil
	}
	if !e.Mode.IsFile() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%s is not a regular file", modeName(e.Mode))}
	}
	data, err := c.blob(e)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &file{Reader: bytes.NewReader(data), info: info(path.Base(name), e.Mode, int64(len(data)))}, nil
}

// maxLinks bounds the symbolic links followed to open one name.
const maxLinks = 40

// follow finds name for Open, following a symbolic link at its end when
// its target stays inside the tree (fs.FS semantics); links elsewhere in
// the path and links that leave the tree are errors.
func (c *commitFS) follow(name string) (object.TreeEntry, error) {
	p := name
	for range maxLinks {
		e, err := c.entry("open", p)
		if err != nil || e.Mode != filemode.Symlink {
			return e, err
		}
		target, err := c.blob(e)
		if err != nil {
			return e, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		p = path.Join(path.Dir(p), string(target))
		if path.IsAbs(string(target)) || !fs.ValidPath(p) {
			return e, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("symbolic link to %s leaves the tree", target)}
		}
	}
	return object.TreeEntry{}, &fs.PathError{Op: "open", Path: name, Err: errors.New("too many levels of symbolic links")}
}

func (c *commitFS) ReadFile(name string) ([]byte, error) {
	f, err := c.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, ok := f.(*dir); ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	return io.ReadAll(f)
}

func (c *commitFS) ReadDir(name string) ([]fs.DirEntry, error) {
	c.repo.mu.Lock()
	defer c.repo.mu.Unlock()
	e, err := c.entry("readdir", name)
	if err != nil {
		return nil, err
	}
	if e.Mode != filemode.Dir {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	ents, err := c.readDir(e)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	return ents, nil
}

func (c *commitFS) Stat(name string) (fs.FileInfo, error) {
	c.repo.mu.Lock()
	defer c.repo.mu.Unlock()
	e, err := c.follow(name)
	if err != nil {
		return nil, err
	}
	e.Name = path.Base(name)
	return c.info(e)
}

func (c *commitFS) Lstat(name string) (fs.FileInfo, error) {
	c.repo.mu.Lock()
	defer c.repo.mu.Unlock()
	e, err := c.entry("lstat", name)
	if err != nil {
		return nil, err
	}
	return c.info(e)
}

func (c *commitFS) ReadLink(name string) (string, error) {
	c.repo.mu.Lock()
	defer c.repo.mu.Unlock()
	e, err := c.entry("readlink", name)
	if err != nil {
		return "", err
	}
	if e.Mode != filemode.Symlink {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	data, err := c.blob(e)
	if err != nil {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: err}
	}
	return string(data), nil
}

// readDir lists a directory in name order (a Git tree's order differs
// only for names that are prefixes of one another). Submodules are left
// out: their files are in another repository.
func (c *commitFS) readDir(e object.TreeEntry) ([]fs.DirEntry, error) {
	t, err := c.repo.repo.TreeObject(e.Hash)
	if err != nil {
		return nil, err
	}
	out := make([]fs.DirEntry, 0, len(t.Entries))
	for _, child := range t.Entries {
		if child.Mode == filemode.Submodule {
			continue
		}
		fi, err := c.info(child)
		if err != nil {
			return nil, err
		}
		out = append(out, fs.FileInfoToDirEntry(fi))
	}
	sortEntries(out)
	return out, nil
}

func (c *commitFS) info(e object.TreeEntry) (fs.FileInfo, error) {
	if e.Mode == filemode.Dir {
		return info(path.Base(e.Name), e.Mode, 0), nil
	}
	size, err := c.repo.repo.Storer.EncodedObjectSize(e.Hash)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", e.Name, err)
	}
	return info(e.Name, e.Mode, size), nil
}

// blob reads a file's content, refusing one past the size bound before
// reading it.
func (c *commitFS) blob(e object.TreeEntry) ([]byte, error) {
	b, err := c.repo.repo.BlobObject(e.Hash)
	if err != nil {
		return nil, err
	}
	if b.Size > c.repo.maxFile {
		return nil, fmt.Errorf("%d bytes, more than the %d a file read from history may have", b.Size, c.repo.maxFile)
	}
	r, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, c.repo.maxFile+1))
}

func modeName(m filemode.FileMode) string {
	switch m {
	case filemode.Symlink:
		return "a symbolic link"
	case filemode.Submodule:
		return "a submodule"
	}
	return "mode " + m.String()
}

// fileInfo describes a tree entry. Files are read-only: 0o444, or 0o555
// for executables, which is what renders look at.
type fileInfo struct {
	name string
	mode fs.FileMode
	size int64
}

func info(name string, m filemode.FileMode, size int64) fileInfo {
	fi := fileInfo{name: name, size: size}
	switch m {
	case filemode.Dir:
		fi.mode = fs.ModeDir | 0o555
	case filemode.Executable:
		fi.mode = 0o555
	case filemode.Symlink:
		fi.mode = fs.ModeSymlink | 0o777
	default:
		fi.mode = 0o444
	}
	return fi
}

func (i fileInfo) Name() string       { return i.name }
func (i fileInfo) Size() int64        { return i.size }
func (i fileInfo) Mode() fs.FileMode  { return i.mode }
func (i fileInfo) ModTime() time.Time { return time.Time{} }
func (i fileInfo) IsDir() bool        { return i.mode.IsDir() }
func (i fileInfo) Sys() any           { return nil }

type file struct {
	*bytes.Reader
	info fileInfo
}

func (f *file) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *file) Close() error               { return nil }

type dir struct {
	info fileInfo
	ents []fs.DirEntry
	next int
}

func (d *dir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dir) Close() error               { return nil }
func (d *dir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: errors.New("is a directory")}
}

func (d *dir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.ents[d.next:]
	if n <= 0 {
		d.next = len(d.ents)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	rest = rest[:min(n, len(rest))]
	d.next += len(rest)
	return rest, nil
}

func sortEntries(ents []fs.DirEntry) {
	slices.SortFunc(ents, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
}
