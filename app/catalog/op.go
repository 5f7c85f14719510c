package catalog

import (
	"context"
	"fmt"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"gopkg.in/yaml.v3"
)

// op is one write to the repository: the branch it starts from, the
// index of the source it is about, and the blobs it changes.
type op struct {
	s       *Store
	parent  *plumbing.Reference
	root    plumbing.Hash
	trees   *trees
	staged  *staging
	index   sourceIndex // the source's entities before the write
	changes map[string]plumbing.Hash
}

// begin reads the branch and, unless repo is "", the index of repo.
func (s *Store) begin(repo string) (*op, error) {
	parent, root, err := s.head()
	if err != nil {
		return nil, err
	}
	st := newStaging()
	if len(s.trees) > maxCachedTrees {
		s.trees = map[plumbing.Hash]map[string]object.TreeEntry{}
	}
	o := &op{s: s, parent: parent, root: root, trees: newTrees(s.repo.Storer, st, s.trees), staged: st, changes: map[string]plumbing.Hash{}}
	if repo == "" {
		o.index = sourceIndex{}
		return o, nil
	}
	o.index, err = o.readIndex(repo)
	return o, err
}

func (o *op) readIndex(repo string) (sourceIndex, error) {
	h, err := o.trees.lookup(o.root, indexPath(repo))
	if err != nil || h.IsZero() {
		return sourceIndex{}, err
	}
	data, err := o.s.readBlob(h)
	if err != nil {
		return nil, err
	}
	return decodeIndex(data)
}

// put stages data at path. Every write goes through here, so no path
// that git fsck refuses can enter the repository.
func (o *op) put(path string, data []byte) error {
	if err := checkTreePath(path); err != nil {
		return err
	}
	h, err := writeBlob(o.staged, data)
	if err != nil {
		return err
	}
	o.changes[path] = h
	return nil
}

// owner returns the source repository recorded for the entity at cp,
// or "" when there is none.
func (o *op) owner(cp string) (string, error) {
	h, err := o.trees.lookup(o.root, cp)
	if err != nil || h.IsZero() {
		return "", err
	}
	data, err := o.s.readBlob(h)
	if err != nil {
		return "", err
	}
	var e struct {
		Metadata struct {
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"metadata"`
	}
	if err := yaml.Unmarshal(data, &e); err != nil {
		return "", fmt.Errorf("read recorded entity %s: %w", cp, err)
	}
	if owner := e.Metadata.Annotations[AnnotationSourceRepo]; owner != "" {
		return owner, nil
	}
	return "unknown", nil
}

// finish writes the sources' new indexes and the Location when entities
// came or went, then commits, unless nothing changed.
func (s *Store) finish(ctx context.Context, o *op, indexes map[string]sourceIndex, res *Result, msg string) (Result, error) {
	if !res.changed() {
		return *res, nil
	}
	if err := ctx.Err(); err != nil {
		return *res, err
	}
	for repo, ix := range indexes {
		if err := o.writeIndex(repo, ix); err != nil {
			return *res, err
		}
	}
	if len(res.Added)+len(res.Deleted) > 0 {
		if err := o.writeLocation(res.Added, res.Deleted); err != nil {
			return *res, err
		}
	}
	tree, err := o.trees.write(o.root, o.changes)
	if err == nil && tree.IsZero() {
		tree, err = o.trees.store(nil)
	}
	if err == nil {
		err = o.staged.flush(s.repo.Storer)
	}
	if err != nil {
		return *res, fmt.Errorf("%s: %w", res.Repo, err)
	}
	res.Commit, err = s.commit(o.parent, tree, msg)
	return *res, err
}

func (o *op) writeIndex(repo string, ix sourceIndex) error {
	if len(ix) == 0 {
		o.changes[indexPath(repo)] = plumbing.ZeroHash
		return nil
	}
	return o.put(indexPath(repo), ix.encode())
}

// writeLocation updates the Location's targets with the entities added
// and deleted.
func (o *op) writeLocation(added, deleted []string) error {
	targets := map[string]bool{}
	h, err := o.trees.lookup(o.root, LocationFile)
	if err != nil {
		return err
	}
	if !h.IsZero() {
		data, err := o.s.readBlob(h)
		if err != nil {
			return err
		}
		targets = locationTargets(data)
	}
	for _, p := range added {
		targets[p] = true
	}
	for _, p := range deleted {
		delete(targets, p)
	}
	paths := make([]string, 0, len(targets))
	for p := range targets {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return o.put(LocationFile, renderLocation(paths))
}
