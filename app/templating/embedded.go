package templating

import (
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/portico-dev/portico/templates"
)

// Embedded is the default platform configuration: the templates built
// into the binary, under templates/ as in a platform repository.
func Embedded() fs.FS { return Mount(TemplatesDir, templates.FS) }

// Mount shows fsys as the folder dir of an otherwise empty file system,
// so a templates folder on its own reads as a platform configuration.
func Mount(dir string, fsys fs.FS) fs.FS { return mounted{dir: dir, fsys: fsys} }

type mounted struct {
	dir  string
	fsys fs.FS
}

func (m mounted) Open(name string) (fs.File, error) {
	switch {
	case !fs.ValidPath(name):
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	case name == ".":
		return &mountRoot{dir: m.dir}, nil
	case name == m.dir:
		return openNamed(m.fsys, m.dir)
	case strings.HasPrefix(name, m.dir+"/"):
		return m.fsys.Open(name[len(m.dir)+1:])
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// mountRoot is the root folder of a mounted file system: it holds dir.
type mountRoot struct {
	dir  string
	done bool
}

func (r *mountRoot) Stat() (fs.FileInfo, error) { return dirInfo("."), nil }
func (r *mountRoot) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: ".", Err: fs.ErrInvalid}
}
func (r *mountRoot) Close() error { return nil }

func (r *mountRoot) ReadDir(n int) ([]fs.DirEntry, error) {
	if r.done {
		if n > 0 {
			return nil, io.EOF
		}
		return []fs.DirEntry{}, nil
	}
	r.done = true
	return []fs.DirEntry{fs.FileInfoToDirEntry(dirInfo(r.dir))}, nil
}

// dirInfo describes a folder that exists only in a mounted file system.
type dirInfo string

func (d dirInfo) Name() string       { return string(d) }
func (d dirInfo) Size() int64        { return 0 }
func (d dirInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o555 }
func (d dirInfo) ModTime() time.Time { return time.Time{} }
func (d dirInfo) IsDir() bool        { return true }
func (d dirInfo) Sys() any           { return nil }

// openNamed opens the root of fsys as the folder name, so its Stat
// agrees with the entry the mount's root lists.
func openNamed(fsys fs.FS, name string) (fs.File, error) {
	f, err := fsys.Open(".")
	if err != nil {
		return nil, err
	}
	if d, ok := f.(fs.ReadDirFile); ok {
		return namedDir{ReadDirFile: d, name: name}, nil
	}
	return f, nil
}

type namedDir struct {
	fs.ReadDirFile
	name string
}

func (d namedDir) Stat() (fs.FileInfo, error) {
	info, err := d.ReadDirFile.Stat()
	if err != nil {
		return nil, err
	}
	return namedInfo{FileInfo: info, name: d.name}, nil
}

type namedInfo struct {
	fs.FileInfo
	name string
}

func (i namedInfo) Name() string { return i.name }
