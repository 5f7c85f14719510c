package templating

import (
	"fmt"
	"io/fs"
	"path"

	"github.com/portico-dev/portico/app/tree"
)

// maxPlainBytes caps what one fetch:plain step copies.
const maxPlainBytes = 64 << 20

// fetchPlain copies a folder of the platform configuration as it is,
// under the step's targetPath, keeping executable bits and symlinks.
func (t *Template) fetchPlain(platform fs.FS, in FetchPlain) (tree.Tree, error) {
	dir, err := t.folder(platform, in.URL)
	if err != nil {
		return nil, err
	}
	out := tree.Tree{}
	var total int64
	err = fs.WalkDir(platform, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := p[len(dir)+1:]
		if dir == "." {
			rel = p
		}
		dst, err := tree.CleanPath(path.Join(in.TargetPath, rel))
		if err != nil {
			return err
		}
		f, err := plainFile(platform, p, d)
		if err != nil {
			return err
		}
		if total += int64(len(f.Data)); total > maxPlainBytes {
			return fmt.Errorf("fetch:plain %s: over %d bytes", in.URL, maxPlainBytes)
		}
		out[dst] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("copy %s: %w", dir, err)
	}
	return out, nil
}

func plainFile(platform fs.FS, p string, d fs.DirEntry) (tree.File, error) {
	if d.Type()&fs.ModeSymlink != 0 {
		target, err := fs.ReadLink(platform, p)
		if err != nil {
			return tree.File{}, err
		}
		return tree.File{Data: []byte(target), Mode: tree.Symlink}, nil
	}
	info, err := d.Info()
	if err != nil {
		return tree.File{}, err
	}
	data, err := readCapped(platform, p, maxPlainBytes)
	if err != nil {
		return tree.File{}, err
	}
	mode := tree.Regular
	if info.Mode().Perm()&0o111 != 0 {
		mode = tree.Executable
	}
	return tree.File{Data: data, Mode: mode}, nil
}
