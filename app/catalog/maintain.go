package catalog

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Upkeep thresholds. Each everyday write leaves a few loose objects, one
// of them the tree of the entity's directory, which Git stores whole:
// about 450 KB for a directory of 10,000 entities. Packed together, each
// such tree becomes a delta of a few KB against its predecessor, so the
// repository grows by the change per write, not by the directory.
const (
	// maxLoose is how many loose objects wait before they are packed
	// (deltified against each other) into one packfile.
	maxLoose = 1000
	// maxPacks is how many packfiles (from packing, fetches and full
	// syncs) there may be before they are merged into one: each lookup of
	// an object scans the index of every pack.
	maxPacks = 32
	// upkeepEvery is how many writes pass between counts of loose objects,
	// which read the object directories.
	upkeepEvery = 25
)

// startUpkeep runs upkeep in the background every upkeepEvery writes,
// unless it is running already. Called with s.mu held.
func (s *Store) startUpkeep() {
	s.writes++
	if s.path == "" || s.writes%upkeepEvery != 0 || !s.upkeeping.CompareAndSwap(false, true) {
		return
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		defer s.upkeeping.Store(false)
		if err := s.upkeep(s.minLoose); err != nil {
			s.log.Warn("catalog repository upkeep failed; the record is intact", "error", err)
		}
	}()
}

// Wait waits for background upkeep to finish, as before shutting down
// or removing the repository. The Store stays usable.
func (s *Store) Wait() { s.bg.Wait() }

// upkeep keeps the repository compact: it packs the loose objects once
// there are minLoose of them, and rolls small packs up once there are
// more than maxPacks. The slow part, reading objects and writing packs,
// runs beside writes through a storage of its own: objects never change,
// and a new pack appears whole. Only swapping the loose objects and old
// packs for the new ones holds the Store's lock. A reader that opened the repository
// before may then miss objects that moved, and has to open it again.
func (s *Store) upkeep(minLoose int) error {
	side := filesystem.NewStorage(osfs.New(s.path), cache.NewObjectLRUDefault())
	defer side.Close()
	var loose []plumbing.Hash
	err := side.ForEachObjectHash(func(h plumbing.Hash) error {
		loose = append(loose, h)
		return nil
	})
	if err != nil {
		return fmt.Errorf("list loose objects: %w", err)
	}
	if len(loose) < minLoose {
		loose = nil
	} else if err := writePack(side, loose); err != nil {
		return err
	}
	merged, err := s.rollUp(side)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fs := s.repo.Storer.(*filesystem.Storage)
	fs.Reindex() // see the new packs before what they replace goes
	for _, h := range loose {
		if err := fs.DeleteLooseObject(h); err != nil {
			return fmt.Errorf("delete packed loose object %s: %w", h, err)
		}
	}
	for _, h := range merged {
		if err := fs.DeleteOldObjectPackAndIndex(h, time.Time{}); err != nil {
			return fmt.Errorf("delete merged pack %s: %w", h, err)
		}
	}
	fs.Reindex()
	return nil
}

// rollUp merges the small packs into one once there are more than
// maxPacks, as git repack --geometric=2 does: every pack that is not at
// least twice the size of all smaller ones together goes into the new
// pack, so a merge costs about what came since the last one, never the
// whole history. It returns the packs merged, to delete.
func (s *Store) rollUp(side *filesystem.Storage) ([]plumbing.Hash, error) {
	packs, err := side.ObjectPacks()
	if err != nil || len(packs) <= maxPacks {
		return nil, err
	}
	sized, err := s.packSizes(packs)
	if err != nil {
		return nil, err
	}
	merge := geometricPrefix(sized)
	var objs []plumbing.Hash
	for _, p := range merge {
		hs, err := s.packObjects(p.hash)
		if err != nil {
			return nil, err
		}
		objs = append(objs, hs...)
	}
	if err := writePack(side, objs); err != nil {
		return nil, err
	}
	out := make([]plumbing.Hash, len(merge))
	for i, p := range merge {
		out[i] = p.hash
	}
	return out, nil
}

type sizedPack struct {
	hash plumbing.Hash
	size int64
}

func (s *Store) packSizes(packs []plumbing.Hash) ([]sizedPack, error) {
	out := make([]sizedPack, 0, len(packs))
	for _, h := range packs {
		fi, err := os.Stat(s.packPath(h, "pack"))
		if err != nil {
			return nil, fmt.Errorf("size of pack %s: %w", h, err)
		}
		out = append(out, sizedPack{h, fi.Size()})
	}
	return out, nil
}

// geometricPrefix returns the smallest packs to merge: all of them but
// the largest ones that are each at least twice the size of every smaller
// pack together, and always at least two.
func geometricPrefix(packs []sizedPack) []sizedPack {
	sort.Slice(packs, func(i, j int) bool { return packs[i].size < packs[j].size })
	var total int64
	cut := 0
	for i, p := range packs {
		if i >= 2 && p.size < 2*total {
			cut = i + 1
		}
		total += p.size
	}
	return packs[:max(cut, 2)]
}

// packObjects lists the objects of a pack, from its index.
func (s *Store) packObjects(pack plumbing.Hash) ([]plumbing.Hash, error) {
	f, err := os.Open(s.packPath(pack, "idx"))
	if err != nil {
		return nil, fmt.Errorf("read pack index: %w", err)
	}
	defer f.Close()
	idx := idxfile.NewMemoryIndex()
	if err := idxfile.NewDecoder(f).Decode(idx); err != nil {
		return nil, fmt.Errorf("read pack index %s: %w", pack, err)
	}
	it, err := idx.Entries()
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []plumbing.Hash
	for {
		e, err := it.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read pack index %s: %w", pack, err)
		}
		out = append(out, e.Hash)
	}
}

func (s *Store) packPath(h plumbing.Hash, ext string) string {
	return filepath.Join(s.path, "objects", "pack", "pack-"+h.String()+"."+ext)
}

// writePack stores objs as one packfile, deltified against each other.
func writePack(fs *filesystem.Storage, objs []plumbing.Hash) error {
	w, err := fs.PackfileWriter()
	if err != nil {
		return fmt.Errorf("pack loose objects: %w", err)
	}
	if _, err := packfile.NewEncoder(w, fs, false).Encode(objs, 10); err != nil {
		w.Close()
		return fmt.Errorf("pack loose objects: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("pack loose objects: %w", err)
	}
	return nil
}
