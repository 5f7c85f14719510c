package catalog

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/portico-dev/portico/app/descriptor"
)

// Kinds of change to an entity file.
const (
	Added   = "+"
	Changed = "~"
	Deleted = "-"
)

// LogEntry is one commit of the catalog that changed an entity.
type LogEntry struct {
	Commit  string
	Date    time.Time
	Subject string // the commit's first line, "sync owner/repo@sha: +A ~C -D"
	Change  string // Added, Changed or Deleted
}

// Log lists the commits of the catalog's branch that changed the entity
// r, newest first. The catalog's history is linear: each commit is
// compared with its first parent.
func Log(ctx context.Context, repoPath string, r descriptor.Ref) ([]LogEntry, error) {
	cp, err := EntityPath(r.Namespace, r.Kind, r.Name)
	if err != nil {
		return nil, fmt.Errorf("log %s: %w", r, err)
	}
	repo, err := git.PlainOpen(repoPath)
	if err != nil {
		return nil, fmt.Errorf("log %s: %w", r, err)
	}
	c, err := resolve(repo, "")
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	t := newTrees(repo.Storer, nil, map[plumbing.Hash]map[string]object.TreeEntry{})
	var out []LogEntry
	for c != nil {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		parent, err := firstParent(repo, c)
		if err != nil {
			return nil, err
		}
		change, err := fileChange(t, c, parent, cp)
		if err != nil {
			return nil, err
		}
		if change != "" {
			out = append(out, LogEntry{Commit: c.Hash.String(), Date: c.Committer.When, Subject: subject(c.Message), Change: change})
		}
		c = parent
	}
	return out, nil
}

func firstParent(repo *git.Repository, c *object.Commit) (*object.Commit, error) {
	if len(c.ParentHashes) == 0 {
		return nil, nil
	}
	p, err := repo.CommitObject(c.ParentHashes[0])
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", c.ParentHashes[0], err)
	}
	return p, nil
}

// fileChange is how commit c changed the file at path from parent, or ""
// when it did not.
func fileChange(t *trees, c, parent *object.Commit, path string) (string, error) {
	now, err := t.lookup(c.TreeHash, path)
	if err != nil {
		return "", err
	}
	var before plumbing.Hash
	if parent != nil {
		if before, err = t.lookup(parent.TreeHash, path); err != nil {
			return "", err
		}
	}
	switch {
	case now == before:
		return "", nil
	case before.IsZero():
		return Added, nil
	case now.IsZero():
		return Deleted, nil
	}
	return Changed, nil
}

func subject(msg string) string {
	s, _, _ := strings.Cut(msg, "\n")
	return s
}

// EntityChange is an entity file that differs between two revisions.
type EntityChange struct {
	Path   string // catalog path
	Entity string // kind:namespace/name, from the path
	Change string // Added, Changed or Deleted
	Patch  string // unified diff of the file
}

// Diff lists the entities added, changed and removed from revision from to
// revision to, sorted by path, each with a unified diff of its file.
func Diff(ctx context.Context, repoPath, from, to string) ([]EntityChange, error) {
	repo, err := git.PlainOpen(repoPath)
	if err != nil {
		return nil, fmt.Errorf("diff catalog %s: %w", repoPath, err)
	}
	var trees [2]*object.Tree
	for i, rev := range []string{from, to} {
		c, err := resolve(repo, rev)
		if err != nil {
			return nil, err
		}
		if trees[i], err = c.Tree(); err != nil {
			return nil, fmt.Errorf("read tree of %s: %w", c.Hash, err)
		}
	}
	changes, err := object.DiffTreeWithOptions(ctx, trees[0], trees[1], nil)
	if err != nil {
		return nil, fmt.Errorf("diff catalog: %w", err)
	}
	out := make([]EntityChange, 0, len(changes))
	for _, ch := range changes {
		if !strings.HasPrefix(ch.From.Name, Root+"/") && !strings.HasPrefix(ch.To.Name, Root+"/") {
			continue
		}
		ec, err := entityChange(ctx, ch)
		if err != nil {
			return nil, err
		}
		out = append(out, ec)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func entityChange(ctx context.Context, ch *object.Change) (EntityChange, error) {
	name, kind := ch.To.Name, Changed
	switch {
	case ch.From.Name == "":
		kind = Added
	case ch.To.Name == "":
		name, kind = ch.From.Name, Deleted
	}
	patch, err := ch.PatchContext(ctx)
	if err != nil {
		return EntityChange{}, fmt.Errorf("diff %s: %w", name, err)
	}
	return EntityChange{Path: name, Entity: entityOfPath(name), Change: kind, Patch: patch.String()}, nil
}

// entityOfPath names the entity stored at catalog/namespace/kind/name.yaml.
func entityOfPath(p string) string {
	parts := strings.Split(strings.TrimSuffix(p, ".yaml"), "/")
	if len(parts) != 4 {
		return ""
	}
	return parts[2] + ":" + parts[1] + "/" + parts[3]
}
