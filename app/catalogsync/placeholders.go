package catalogsync

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/google/go-github/v62/github"
)

// treeFiles reads the files that placeholders name at the synced commit,
// from the tree listing the sync already holds: a path absent from it
// costs no request, and each file is one blob request, made once
// however many placeholders name it.
type treeFiles struct {
	c       *github.Client
	a       SyncArgs
	entries map[string]*github.TreeEntry
	read    map[string][]byte
}

func newTreeFiles(c *github.Client, a SyncArgs, entries []*github.TreeEntry) *treeFiles {
	t := &treeFiles{c: c, a: a, entries: make(map[string]*github.TreeEntry, len(entries)), read: map[string][]byte{}}
	for _, e := range entries {
		t.entries[e.GetPath()] = e
	}
	return t
}

// ReadFile implements descriptor.Files. A directory, a submodule or a
// symbolic link (which could lead out of the repository) is no file a
// placeholder may read.
func (t *treeFiles) ReadFile(ctx context.Context, name string, limit int64) ([]byte, int64, error) {
	e, ok := t.entries[name]
	switch {
	case !ok:
		return nil, 0, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	case e.GetType() != "blob" || e.GetMode() == "120000":
		return nil, 0, fmt.Errorf("%s: %w: not a file", name, fs.ErrInvalid)
	case int64(e.GetSize()) > limit:
		return nil, int64(e.GetSize()), nil
	}
	if data, ok := t.read[name]; ok {
		return data, int64(len(data)), nil
	}
	data, err := blob(ctx, t.c, t.a, e.GetSHA())
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", name, err)
	}
	t.read[name] = data
	return data, int64(len(data)), nil
}
