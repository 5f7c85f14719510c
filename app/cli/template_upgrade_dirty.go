package cli

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"

	"github.com/portico-dev/portico/app/templating/plan"
)

// maxCompared bounds the bytes compared between the working tree and HEAD.
const maxCompared = 64 << 20

// warnTemplateUncommitted says on stderr when the target template's folder in the
// working tree differs from HEAD's: the answers record HEAD, so the next
// upgrade's base would render HEAD's files rather than what this upgrade
// merged. Folders shared from outside the template's are not compared.
func warnTemplateUncommitted(ctx context.Context, h *platformHistory, target plan.Side, dir string, stdio IO) {
	if target.Commit == "" {
		return
	}
	head, err := h.At(ctx, target.Commit)
	if err != nil {
		return
	}
	if same, err := sameFolder(target.FS, head, target.Template.Dir); err == nil && same {
		return
	}
	fmt.Fprintf(stdio.Err, "portico: %s has changes to %s that are not committed: the answers record HEAD (%s), which holds other files; commit the platform configuration first so that the next upgrade renders what this one merged\n",
		dir, target.Template.Dir, target.Commit[:12])
}

// sameFolder reports whether dir holds the same files (bytes and kind) in
// a and b.
func sameFolder(a, b fs.FS, dir string) (bool, error) {
	ta, err := folderFiles(a, dir)
	if err != nil {
		return false, err
	}
	tb, err := folderFiles(b, dir)
	if err != nil || len(ta) != len(tb) {
		return false, err
	}
	for p, fa := range ta {
		if fb, ok := tb[p]; !ok || fa.mode != fb.mode || !bytes.Equal(fa.data, fb.data) {
			return false, nil
		}
	}
	return true, nil
}

// folderFile is a file's bytes and kind: a symbolic link, executable
// (0o100) or not; other permission bits differ between checkouts.
type folderFile struct {
	data []byte
	mode fs.FileMode
}

func folderFiles(fsys fs.FS, dir string) (map[string]folderFile, error) {
	out := map[string]folderFile{}
	var total int64
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		f := folderFile{mode: info.Mode() & (fs.ModeSymlink | 0o100)}
		if info.Mode()&0o111 != 0 {
			f.mode |= 0o100
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := fs.ReadLink(fsys, p)
			f.data = []byte(target)
			out[p] = f
			return err
		}
		if total += info.Size(); total > maxCompared {
			return fmt.Errorf("%s: more than %d bytes to compare", dir, maxCompared)
		}
		f.data, err = fs.ReadFile(fsys, p)
		out[p] = f
		return err
	})
	return out, err
}
