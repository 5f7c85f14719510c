package catalog

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/portico-dev/portico/app/descriptor"
)

// commitRE is a full SHA-1 or SHA-256 commit id.
var commitRE = regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`)

// RuleStorable marks a valid entity whose name cannot be stored as a path.
const RuleStorable = "catalog/path"

// Sync records what src declares now: entities added or changed since
// the catalog last saw src are written, the ones src no longer declares are
// deleted, all in one commit "sync owner/repo@sha: +A ~C -D". Nothing is
// committed when nothing changed. Invalid entities and conflicts are
// reported in the result, not written. An error means nothing was
// recorded, unless Result.Commit is set: then the commit was made and only
// pushing it to the remote failed; the next write or Refresh pushes it.
func (s *Store) Sync(ctx context.Context, src Source) (Result, error) {
	if err := checkRepo(src.Repo); err != nil {
		return Result{}, fmt.Errorf("sync: %w", err)
	}
	if !commitRE.MatchString(src.Commit) {
		return Result{}, fmt.Errorf("sync %s: commit %q is not a full commit id", src.Repo, src.Commit)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.write(ctx, func() (Result, error) { return s.sync(ctx, src) })
}

// sync plans and commits one Sync on the branch's tip.
func (s *Store) sync(ctx context.Context, src Source) (Result, error) {
	op, err := s.begin(src.Repo)
	if err != nil {
		return Result{}, fmt.Errorf("sync %s: %w", src.Repo, err)
	}
	if err := op.checkRemoved(src); err != nil {
		return Result{}, fmt.Errorf("sync %s: %w", src.Repo, err)
	}
	renamed, err := op.adoptRenamed(src)
	if err != nil {
		return Result{}, fmt.Errorf("sync %s: %w", src.Repo, err)
	}
	p := &plan{op: op, src: src, declared: sourceIndex{}, keepPaths: map[string]bool{}}
	p.res.Repo = src.Repo
	if err := p.entities(); err != nil {
		return Result{}, fmt.Errorf("sync %s: %w", src.Repo, err)
	}
	if err := p.deletions(); err != nil {
		return Result{}, fmt.Errorf("sync %s: %w", src.Repo, err)
	}
	msg := fmt.Sprintf("sync %s@%s: %s", src.Repo, shortSHA(src.Commit), p.res.Summary())
	if renamed != "" {
		msg = fmt.Sprintf("sync %s@%s (renamed from %s): %s", src.Repo, shortSHA(src.Commit), renamed, p.res.Summary())
	}
	return s.finish(ctx, op, map[string]sourceIndex{src.Repo: p.declared}, &p.res, msg)
}

// ErrRemoved refuses a sync read before its repository was removed.
var ErrRemoved = errors.New("the repository was removed from the catalog after these descriptors were read")

// checkRemoved refuses src when it was read before its repository's
// recorded removal; read after it (the repository came back), the
// removal record goes with the next commit.
func (o *op) checkRemoved(src Source) error {
	h, err := o.trees.lookup(o.root, removedPath(src.Repo))
	if err != nil || h.IsZero() {
		return err
	}
	data, err := o.s.readBlob(h)
	if err != nil {
		return err
	}
	// A record that does not parse (edited by hand on the remote) refuses
	// nothing: it must not block the repository's syncs for good.
	at, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(string(data)))
	if err == nil && !src.ReadAt.IsZero() && !src.ReadAt.After(at) {
		return fmt.Errorf("%w (removed %s, read %s)", ErrRemoved, at.Format(time.RFC3339), src.ReadAt.UTC().Format(time.RFC3339))
	}
	o.changes[removedPath(src.Repo)] = plumbing.ZeroHash
	return nil
}

// adoptRenamed recognises src as a repository the catalog knows under
// another name (GitHub keeps a repository's id through renames and
// transfers): the old name's entities become the source's own, to be
// updated or deleted like any it recorded, and the old name's index goes.
// It returns the old name, "" when there is none, and records the id's
// current name with the sync's commit.
func (o *op) adoptRenamed(src Source) (string, error) {
	if src.RepoID <= 0 {
		return "", nil
	}
	idp := idPath(src.RepoID)
	h, err := o.trees.lookup(o.root, idp)
	if err != nil {
		return "", err
	}
	old := ""
	if !h.IsZero() {
		data, err := o.s.readBlob(h)
		if err != nil {
			return "", err
		}
		old = strings.TrimSpace(string(data))
	}
	if old == src.Repo {
		return "", nil
	}
	if err := o.put(idp, []byte(src.Repo+"\n")); err != nil {
		return "", err
	}
	if old == "" || checkRepo(old) != nil {
		return "", nil
	}
	oldIx, err := o.readIndex(old)
	if err != nil {
		return "", err
	}
	for cp, e := range oldIx {
		if _, ok := o.index[cp]; !ok {
			o.index[cp] = e
		}
	}
	o.changes[indexPath(old)] = plumbing.ZeroHash
	return old, nil
}

// plan works out what a sync changes.
type plan struct {
	*op
	src       Source
	declared  sourceIndex     // the source's index after the sync
	keepPaths map[string]bool // source files with an unreadable entity: keep theirs
	res       Result
}

func (p *plan) entities() error {
	for _, e := range p.src.Entities {
		if !e.valid() {
			p.invalid(e)
			continue
		}
		if fs := descriptor.CheckLocation(e.Document, p.s.locationScope(p.src, e.Path)); len(fs) > 0 {
			p.invalid(e, fs...)
			if err := p.dropUnsafeLocation(e); err != nil {
				return err
			}
			continue
		}
		cp, err := e.entityPath()
		if err != nil {
			p.invalid(e, descriptor.Finding{Severity: descriptor.SeverityError, Rule: RuleStorable, Message: err.Error()})
			continue
		}
		if err := p.entity(e, cp); err != nil {
			return err
		}
	}
	return nil
}

// entity plans one valid entity stored at cp.
func (p *plan) entity(e Entity, cp string) error {
	if prev, ok := p.declared[cp]; ok {
		p.res.Conflicts = append(p.res.Conflicts, Conflict{Entity: e.ref(), SourcePath: e.Path, Owner: p.src.Repo + " (" + prev.sourcePath + ")"})
		return nil
	}
	d, err := digest(e, p.src.URL)
	if err != nil {
		return err
	}
	old, recorded := p.index[cp]
	if !recorded {
		owner, err := p.owner(cp)
		if err != nil {
			return err
		}
		if owner != "" {
			p.res.Conflicts = append(p.res.Conflicts, Conflict{Entity: e.ref(), SourcePath: e.Path, Owner: owner})
			return nil
		}
	}
	p.declared[cp] = indexEntry{sourcePath: e.Path, digest: d}
	if err := p.score(e, cp); err != nil {
		return err
	}
	if recorded && old == p.declared[cp] {
		return nil
	}
	data, err := normalize(e, provenance{repo: p.src.Repo, url: p.src.URL, commit: p.src.Commit, path: e.Path})
	if err != nil {
		return err
	}
	if recorded {
		p.res.Changed = append(p.res.Changed, cp)
	} else {
		p.res.Added = append(p.res.Added, cp)
	}
	return p.put(cp, data)
}

// invalid reports an entity that is not recorded and keeps what the
// catalog holds for it: the entity itself when it can be named, else
// everything recorded from its file.
func (p *plan) invalid(e Entity, extra ...descriptor.Finding) {
	inv := Invalid{SourcePath: e.Path, Entity: e.ref()}
	if e.Document != nil {
		for _, f := range e.Document.Findings {
			if f.Severity == descriptor.SeverityError {
				inv.Findings = append(inv.Findings, f)
			}
		}
	}
	inv.Findings = append(inv.Findings, extra...)
	p.res.Invalid = append(p.res.Invalid, inv)
	cp, err := e.entityPath()
	if err != nil {
		p.keepPaths[e.Path] = true
		return
	}
	if old, ok := p.index[cp]; ok {
		if _, dup := p.declared[cp]; !dup {
			p.declared[cp] = old
		}
	}
}

// dropUnsafeLocation undoes invalid's keeping of the recorded version of
// a refused Location when that version leads outside its scope too: one
// recorded before targets were checked must not stay for good.
func (p *plan) dropUnsafeLocation(e Entity) error {
	cp, err := e.entityPath()
	if err != nil {
		return nil
	}
	old, kept := p.declared[cp]
	if !kept {
		return nil
	}
	h, err := p.trees.lookup(p.root, cp)
	if err != nil || h.IsZero() {
		return err
	}
	data, err := p.s.readBlob(h)
	if err != nil {
		return err
	}
	for _, d := range descriptor.Parse(data, 0).Documents {
		if len(descriptor.CheckLocation(d, p.s.locationScope(p.src, old.sourcePath))) > 0 {
			delete(p.declared, cp)
		}
	}
	return nil
}

// deletions removes the entities the source no longer declares, and
// their score files, except those from files that could not be read.
func (p *plan) deletions() error {
	paths := make([]string, 0, len(p.index))
	for cp := range p.index {
		paths = append(paths, cp)
	}
	sort.Strings(paths)
	for _, cp := range paths {
		old := p.index[cp]
		if _, ok := p.declared[cp]; ok {
			continue
		}
		if p.keepPaths[old.sourcePath] {
			p.declared[cp] = old
			continue
		}
		p.res.Deleted = append(p.res.Deleted, cp)
		p.changes[cp] = plumbing.ZeroHash
		if err := p.dropScore(cp, &p.res); err != nil {
			return err
		}
	}
	return nil
}
