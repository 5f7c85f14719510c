package catalog

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/memory"
)

// packThreshold is the number of new objects from which a write stores
// them as one packfile rather than one loose file each: a full sync of
// thousands of entities then writes one file, while the small writes of
// everyday pushes do not pile up packs that every later lookup would scan.
const packThreshold = 256

// staging holds the objects of one write in memory until they are
// flushed to the repository, all at once.
type staging struct {
	mem    *memory.ObjectStorage
	hashes []plumbing.Hash
}

func newStaging() *staging {
	return &staging{mem: &memory.NewStorage().ObjectStorage}
}

// NewEncodedObject returns an empty object to fill and Set.
func (st *staging) NewEncodedObject() plumbing.EncodedObject { return st.mem.NewEncodedObject() }

// SetEncodedObject stages obj.
func (st *staging) SetEncodedObject(obj plumbing.EncodedObject) (plumbing.Hash, error) {
	h, err := st.mem.SetEncodedObject(obj)
	if err == nil {
		st.hashes = append(st.hashes, h)
	}
	return h, err
}

// flush writes the staged objects to dst: as one packfile when there are
// many and dst takes packfiles, else one by one.
func (st *staging) flush(dst storer.EncodedObjectStorer) error {
	if pw, ok := dst.(storer.PackfileWriter); ok && len(st.hashes) >= packThreshold {
		return st.writePack(pw)
	}
	for _, h := range st.hashes {
		obj, err := st.mem.EncodedObject(plumbing.AnyObject, h)
		if err == nil {
			_, err = dst.SetEncodedObject(obj)
		}
		if err != nil {
			return fmt.Errorf("store object %s: %w", h, err)
		}
	}
	return nil
}

func (st *staging) writePack(pw storer.PackfileWriter) error {
	w, err := pw.PackfileWriter()
	if err != nil {
		return fmt.Errorf("write pack: %w", err)
	}
	if _, err := packfile.NewEncoder(w, st.mem, false).Encode(st.hashes, 0); err != nil {
		w.Close()
		return fmt.Errorf("write pack: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("write pack: %w", err)
	}
	return nil
}
