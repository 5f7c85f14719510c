package checks

import (
	"context"
	"errors"
	"io/fs"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/scorecard"
)

// scoring scores the descriptors of one check at its base and head.
type scoring struct {
	eng        *scorecard.Engine
	repo       Repo
	j          scoreJob
	res        *result
	base, head *scorecard.Repo
	groups     *scorecard.Catalog
	baseSHA    string // read once, when a changed descriptor needs it
}

// file scores the entities of the descriptor at path, at the head, and
// the same entities as the base declared them.
func (s *scoring) file(ctx context.Context, path string) ([]entityScore, error) {
	head, err := s.headContent(ctx, path)
	if err != nil || head == nil || descriptor.IsSkeleton(head) {
		return nil, err
	}
	base, err := s.baseContent(ctx, path, head)
	if err != nil {
		return nil, err
	}
	before := map[descriptor.Ref][]scorecard.Result{}
	for _, d := range s.entities(base) {
		if before[ref(d)], err = s.eng.Score(ctx, scorecard.Input{Entity: d, Repo: s.base, Catalog: s.groups}); err != nil {
			return nil, err
		}
	}
	var out []entityScore
	for _, d := range s.entities(head) {
		after, err := s.eng.Score(ctx, scorecard.Input{Entity: d, Repo: s.head, Catalog: s.groups})
		if err != nil {
			return nil, err
		}
		if changes := scorecard.Compare(before[ref(d)], after); len(changes) > 0 {
			out = append(out, entityScore{ref: ref(d).String(), path: path, line: d.Line, changes: changes})
		}
	}
	return out, nil
}

func ref(d *descriptor.Document) descriptor.Ref {
	return descriptor.Ref{Kind: d.Kind(), Namespace: d.Namespace(), Name: d.Name()}
}

// entities are the named entities of content.
func (s *scoring) entities(content []byte) []*descriptor.Document {
	if content == nil {
		return nil
	}
	var out []*descriptor.Document
	for _, d := range descriptor.Parse(content, s.j.maxBytes).Documents {
		if d.Root != nil && d.Kind() != "" && d.Name() != "" {
			out = append(out, d)
		}
	}
	return out
}

// headContent is the descriptor at the head: as the check read it, or
// read now for a descriptor the change does not touch. nil: too large
// or gone.
func (s *scoring) headContent(ctx context.Context, path string) ([]byte, error) {
	if c, ok := s.res.heads[path]; ok {
		return c, nil
	}
	return s.read(ctx, path, s.j.a.HeadSHA)
}

// baseContent is the descriptor before the change: none for an added
// file, the previous path of a renamed one, the head's own for a file
// the change does not touch.
func (s *scoring) baseContent(ctx context.Context, path string, head []byte) ([]byte, error) {
	for _, c := range s.j.changes {
		if c.Path != path {
			continue
		}
		switch c.Status {
		case "added", "copied":
			return nil, nil
		case "renamed":
			path = c.Previous
		}
		if s.baseSHA == "" {
			pr, err := s.repo.PullRequest(ctx, s.j.numbers[0])
			if err != nil {
				return nil, err
			}
			s.baseSHA = pr.Base
		}
		return s.read(ctx, path, s.baseSHA)
	}
	return head, nil
}

// read reads a descriptor; a missing or oversized one is nil.
func (s *scoring) read(ctx context.Context, path, sha string) ([]byte, error) {
	content, size, err := s.repo.File(ctx, path, sha)
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid):
		return nil, nil
	case err != nil:
		return nil, err
	case size > s.j.maxBytes || int64(len(content)) > s.j.maxBytes || content == nil:
		return nil, nil
	}
	return content, nil
}
