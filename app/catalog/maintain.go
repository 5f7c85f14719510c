package catalog

import (
	"fmt"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
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
// there are minLoose of them, and merges the packs once there are more
// than maxPacks. The slow part, reading the loose objects and writing the
// pack, runs beside writes through a storage of its own: objects never
// change, and a new pack appears whole. Only swapping the loose objects
// for the pack holds the Store's lock. A reader that opened the repository
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
	if len(loose) >= minLoose {
		if err := writePack(side, loose); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fs := s.repo.Storer.(*filesystem.Storage)
	fs.Reindex() // see the new pack before its objects' loose copies go
	if len(loose) >= minLoose {
		for _, h := range loose {
			if err := fs.DeleteLooseObject(h); err != nil {
				return fmt.Errorf("delete packed loose object %s: %w", h, err)
			}
		}
	}
	return s.mergePacks(fs)
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

// mergePacks merges every pack into one when there are too many. It
// walks all history, so it runs rarely, and with the lock held: packs
// disappear.
func (s *Store) mergePacks(fs *filesystem.Storage) error {
	packs, err := fs.ObjectPacks()
	if err != nil || len(packs) <= maxPacks {
		return err
	}
	if err := s.repo.RepackObjects(&git.RepackConfig{}); err != nil {
		return fmt.Errorf("merge packs: %w", err)
	}
	fs.Reindex()
	return nil
}
