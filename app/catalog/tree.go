package catalog

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// objectWriter is where new objects go.
type objectWriter interface {
	NewEncodedObject() plumbing.EncodedObject
	SetEncodedObject(plumbing.EncodedObject) (plumbing.Hash, error)
}

// trees reads and writes tree objects for one operation. It reads only
// the trees on the paths it is asked about, each once.
type trees struct {
	r     storer.EncodedObjectStorer // the repository
	w     objectWriter               // where new trees go
	cache map[plumbing.Hash]map[string]object.TreeEntry
}

// newTrees reads from r, writes to w, and keeps the listings it reads or
// writes in cache, which may be shared by successive operations: trees are
// named by their content, so a listing never goes stale.
func newTrees(r storer.EncodedObjectStorer, w objectWriter, cache map[plumbing.Hash]map[string]object.TreeEntry) *trees {
	return &trees{r: r, w: w, cache: cache}
}

// entries lists a tree by name; the zero hash is the empty tree. The map
// is the cached one: callers copy before changing it.
func (t *trees) entries(h plumbing.Hash) (map[string]object.TreeEntry, error) {
	if h.IsZero() {
		return map[string]object.TreeEntry{}, nil
	}
	if m, ok := t.cache[h]; ok {
		return m, nil
	}
	tree, err := object.GetTree(t.r, h)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	m := make(map[string]object.TreeEntry, len(tree.Entries))
	for _, e := range tree.Entries {
		m[e.Name] = e
	}
	t.cache[h] = m
	return m, nil
}

// lookup finds the blob at a slash-separated path under root, or returns
// the zero hash when there is none.
func (t *trees) lookup(root plumbing.Hash, path string) (plumbing.Hash, error) {
	h := root
	for {
		dir, rest, more := strings.Cut(path, "/")
		m, err := t.entries(h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		e, ok := m[dir]
		if !ok || (more != (e.Mode == filemode.Dir)) {
			return plumbing.ZeroHash, nil
		}
		if !more {
			return e.Hash, nil
		}
		h, path = e.Hash, rest
	}
}

// lookupTree finds the tree at a slash-separated path under root, or
// returns the zero hash when there is none.
func (t *trees) lookupTree(root plumbing.Hash, path string) (plumbing.Hash, error) {
	h := root
	for _, dir := range strings.Split(path, "/") {
		m, err := t.entries(h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		e, ok := m[dir]
		if !ok || e.Mode != filemode.Dir {
			return plumbing.ZeroHash, nil
		}
		h = e.Hash
	}
	return h, nil
}

// write applies changes (path to blob hash, the zero hash deleting) to the
// tree root and stores the trees on the changed paths, and only those.
// It returns the new root, or the zero hash when the tree became empty.
func (t *trees) write(root plumbing.Hash, changes map[string]plumbing.Hash) (plumbing.Hash, error) {
	old, err := t.entries(root)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	entries := make(map[string]object.TreeEntry, len(old)+len(changes))
	for k, v := range old {
		entries[k] = v
	}
	sub := map[string]map[string]plumbing.Hash{}
	for p, h := range changes {
		dir, rest, isDir := strings.Cut(p, "/")
		switch {
		case isDir && sub[dir] == nil:
			sub[dir] = map[string]plumbing.Hash{rest: h}
		case isDir:
			sub[dir][rest] = h
		case h.IsZero():
			delete(entries, dir)
		default:
			entries[dir] = object.TreeEntry{Name: dir, Mode: filemode.Regular, Hash: h}
		}
	}
	for dir, ch := range sub {
		if err := t.writeSub(entries, dir, ch); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	if len(entries) == 0 {
		return plumbing.ZeroHash, nil
	}
	return t.store(entries)
}

func (t *trees) writeSub(entries map[string]object.TreeEntry, dir string, changes map[string]plumbing.Hash) error {
	var old plumbing.Hash
	if e, ok := entries[dir]; ok && e.Mode == filemode.Dir {
		old = e.Hash
	}
	h, err := t.write(old, changes)
	if err != nil {
		return err
	}
	if h.IsZero() {
		delete(entries, dir)
	} else {
		entries[dir] = object.TreeEntry{Name: dir, Mode: filemode.Dir, Hash: h}
	}
	return nil
}

// store encodes a tree in Git's order (a directory sorts as if its name
// ended in a slash) and stores it.
func (t *trees) store(entries map[string]object.TreeEntry) (plumbing.Hash, error) {
	tree := &object.Tree{Entries: make([]object.TreeEntry, 0, len(entries))}
	for _, e := range entries {
		tree.Entries = append(tree.Entries, e)
	}
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(tree.Entries, func(i, j int) bool { return key(tree.Entries[i]) < key(tree.Entries[j]) })
	obj := t.w.NewEncodedObject()
	if err := tree.Encode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("encode tree: %w", err)
	}
	h, err := t.w.SetEncodedObject(obj)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("store tree: %w", err)
	}
	t.cache[h] = entries
	return h, nil
}
