package tree

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"slices"
	"time"
)

// FS shows t as a read-only file system, its folders implied by the paths
// of its files: how a tree read from GitHub (a pull request's head, the
// platform configuration at a commit) is handed to code that reads an
// fs.FS. A symbolic link is a file of mode fs.ModeSymlink whose content is
// its target; it is never followed. folders adds folders that hold no
// file of t (a listing's folders whose files were not read). t must not
// change while FS is in use.
func FS(t Tree, folders ...string) fs.FS {
	m := memFS{files: t, dirs: map[string][]string{".": nil}}
	for p := range t {
		m.addParents(p)
	}
	for _, d := range folders {
		if _, isFile := t[d]; !isFile && fs.ValidPath(d) && d != "." {
			if _, known := m.dirs[d]; !known {
				m.dirs[d] = nil
				m.addParents(d)
			}
		}
	}
	for d, names := range m.dirs {
		slices.Sort(names)
		m.dirs[d] = slices.Compact(names)
	}
	return m
}

type memFS struct {
	files Tree
	dirs  map[string][]string
}

// addParents records p in its folder and every folder above it.
func (m memFS) addParents(p string) {
	for child, dir := p, path.Dir(p); ; child, dir = dir, path.Dir(dir) {
		_, known := m.dirs[dir]
		m.dirs[dir] = append(m.dirs[dir], path.Base(child))
		if known || dir == "." {
			return
		}
	}
}

func (m memFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if f, ok := m.files[name]; ok {
		return &memFile{info: fileInfo{name: path.Base(name), f: f}, r: bytes.NewReader(f.Data)}, nil
	}
	if _, ok := m.dirs[name]; ok {
		entries, _ := m.ReadDir(name)
		return &memDir{info: fileInfo{name: path.Base(name), dir: true}, entries: entries}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// ReadFile implements fs.ReadFileFS without copying through a reader.
func (m memFS) ReadFile(name string) ([]byte, error) {
	f, ok := m.files[name]
	if !ok || !fs.ValidPath(name) {
		if _, dir := m.dirs[name]; dir {
			return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
		}
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return bytes.Clone(f.Data), nil
}

// ReadDir implements fs.ReadDirFS, entries sorted by name.
func (m memFS) ReadDir(name string) ([]fs.DirEntry, error) {
	names, ok := m.dirs[name]
	if !ok || !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	out := make([]fs.DirEntry, 0, len(names))
	for _, n := range names {
		p := path.Join(name, n)
		if f, isFile := m.files[p]; isFile {
			out = append(out, fs.FileInfoToDirEntry(fileInfo{name: n, f: f}))
		} else {
			out = append(out, fs.FileInfoToDirEntry(fileInfo{name: n, dir: true}))
		}
	}
	return out, nil
}

type fileInfo struct {
	name string
	f    File
	dir  bool
}

func (i fileInfo) Name() string { return i.name }
func (i fileInfo) Size() int64  { return int64(len(i.f.Data)) }
func (i fileInfo) Mode() fs.FileMode {
	switch {
	case i.dir:
		return fs.ModeDir | 0o555
	case i.f.Mode == Symlink:
		return fs.ModeSymlink | 0o777
	case i.f.Mode == Executable:
		return 0o555
	}
	return 0o444
}
func (i fileInfo) ModTime() time.Time { return time.Time{} }
func (i fileInfo) IsDir() bool        { return i.dir }
func (i fileInfo) Sys() any           { return nil }

type memFile struct {
	info fileInfo
	r    *bytes.Reader
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Read(b []byte) (int, error) { return f.r.Read(b) }
func (f *memFile) Close() error               { return nil }

// Seek and ReadAt let readers that want them (http.FileServer, zip) work.
func (f *memFile) Seek(off int64, whence int) (int64, error) { return f.r.Seek(off, whence) }
func (f *memFile) ReadAt(b []byte, off int64) (int, error)   { return f.r.ReadAt(b, off) }

type memDir struct {
	info    fileInfo
	entries []fs.DirEntry
	next    int
}

func (d *memDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *memDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: fs.ErrInvalid}
}
func (d *memDir) Close() error { return nil }

// ReadDir implements fs.ReadDirFile.
func (d *memDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.next:]
	if n <= 0 {
		d.next = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	rest = rest[:min(n, len(rest))]
	d.next += len(rest)
	return rest, nil
}
