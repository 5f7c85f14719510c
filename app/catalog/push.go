package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
)

// errRemoteMoved is a push refused because the remote's branch is not
// where the last fetch left it.
var errRemoteMoved = errors.New("the remote branch moved since the last fetch")

// pushBranch sends the branch to the remote as a fast-forward of where
// the last fetch found it. It sends only the objects the new commits made
// (each commit against its parent, descending only into changed trees),
// so that a push costs what the change costs, not what the catalog holds:
// go-git's own push lists every object reachable from the remote's tip.
func (s *Store) pushBranch(ctx context.Context) error {
	base, tip := s.mustRef(trackingRef), s.mustRef(Branch)
	if base == tip {
		return nil
	}
	objs, err := s.newObjects(base, tip)
	if err != nil {
		return err
	}
	sess, err := s.receivePack(ctx)
	if err != nil {
		return err
	}
	defer sess.Close()
	adv, err := sess.AdvertisedReferencesContext(ctx)
	if err != nil {
		return err
	}
	if at, err := advertised(adv); err != nil || at != base {
		return errors.Join(err, errRemoteMoved)
	}
	req := packp.NewReferenceUpdateRequestFromCapabilities(adv.Capabilities)
	req.Commands = []*packp.Command{{Name: Branch, Old: base, New: tip}}
	return s.sendPack(ctx, sess, req, objs, !adv.Capabilities.Supports(capability.OFSDelta))
}

func (s *Store) receivePack(ctx context.Context) (transport.ReceivePackSession, error) {
	ep, err := transport.NewEndpoint(s.remote.URL)
	if err != nil {
		return nil, fmt.Errorf("remote URL: %w", err)
	}
	cl, err := client.NewClient(ep)
	if err != nil {
		return nil, err
	}
	auth, err := s.auth(ctx)
	if err != nil {
		return nil, err
	}
	return cl.NewReceivePackSession(ep, auth)
}

// advertised is where the remote's branch is, zero when it has none.
func advertised(adv *packp.AdvRefs) (plumbing.Hash, error) {
	refs, err := adv.AllReferences()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	ref, err := refs.Reference(Branch)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return ref.Hash(), nil
}

// sendPack streams a pack of objs with the update request and reads the
// remote's verdict.
func (s *Store) sendPack(ctx context.Context, sess transport.ReceivePackSession, req *packp.ReferenceUpdateRequest, objs []plumbing.Hash, refDeltas bool) error {
	rd, wr := io.Pipe()
	req.Packfile = rd
	done := make(chan error, 1)
	go func() {
		_, err := packfile.NewEncoder(wr, s.repo.Storer, refDeltas).Encode(objs, 10)
		done <- wr.CloseWithError(err)
	}()
	status, err := sess.ReceivePack(ctx, req)
	rd.Close()
	if encErr := <-done; err == nil && encErr != nil {
		err = encErr
	}
	if err == nil && status != nil {
		err = status.Error()
	}
	return err
}

// newObjects lists the objects that the commits after base up to tip
// made: each commit, and the trees and blobs it changed against its first
// parent. base must be an ancestor of tip (or zero).
func (s *Store) newObjects(base, tip plumbing.Hash) ([]plumbing.Hash, error) {
	seen := map[plumbing.Hash]bool{}
	var out []plumbing.Hash
	add := func(h plumbing.Hash) bool {
		if seen[h] {
			return false
		}
		seen[h] = true
		out = append(out, h)
		return true
	}
	t := newTrees(s.repo.Storer, nil, s.trees)
	for h, n := tip, 0; h != base; n++ {
		if n == maxAncestorWalk || h.IsZero() {
			return nil, fmt.Errorf("push: %s does not descend from the remote's %s", tip, base)
		}
		c, err := s.repo.CommitObject(h)
		if err != nil {
			return nil, fmt.Errorf("read commit %s: %w", h, err)
		}
		add(h)
		parentTree, next := plumbing.ZeroHash, plumbing.ZeroHash
		if len(c.ParentHashes) > 0 {
			next = c.ParentHashes[0]
			p, err := s.repo.CommitObject(next)
			if err != nil {
				return nil, fmt.Errorf("read commit %s: %w", next, err)
			}
			parentTree = p.TreeHash
		}
		if err := changedObjects(t, parentTree, c.TreeHash, add); err != nil {
			return nil, err
		}
		h = next
	}
	return out, nil
}

// changedObjects adds the trees and blobs of tree that old lacks,
// descending only into subtrees whose hash changed.
func changedObjects(t *trees, old, tree plumbing.Hash, add func(plumbing.Hash) bool) error {
	if old == tree || !add(tree) {
		return nil
	}
	before, err := t.entries(old)
	if err != nil {
		return err
	}
	after, err := t.entries(tree)
	if err != nil {
		return err
	}
	for name, e := range after {
		prev, ok := before[name]
		switch {
		case ok && prev.Hash == e.Hash:
		case e.Mode == filemode.Dir:
			oldSub := plumbing.ZeroHash
			if ok && prev.Mode == filemode.Dir {
				oldSub = prev.Hash
			}
			if err := changedObjects(t, oldSub, e.Hash, add); err != nil {
				return err
			}
		default:
			add(e.Hash)
		}
	}
	return nil
}
