package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/facts"
	"github.com/portico-dev/portico/app/scorecard"
	"github.com/portico-dev/portico/app/scorereport"
)

// ScoreRoot is the directory of the central repository that holds each
// entity's scores, scorecards/<namespace>/<kind>/<name>.json beside its
// catalog/<namespace>/<kind>/<name>.yaml, written in the same commit: a
// score's history is its file's history.
const ScoreRoot = "scorecards"

// ScorePath returns where the scores of the entity namespace/kind/name
// are stored, with EntityPath's rules.
func ScorePath(namespace, kind, name string) (string, error) {
	cp, err := EntityPath(namespace, kind, name)
	if err != nil {
		return "", err
	}
	return scorePath(cp), nil
}

// scorePath maps an entity's catalog path to its score file's.
func scorePath(cp string) string {
	return path.Join(ScoreRoot, strings.TrimSuffix(strings.TrimPrefix(cp, Root+"/"), ".yaml")+".json")
}

// Scorer judges one entity; *scorecard.Engine is one.
type Scorer interface {
	Score(ctx context.Context, in scorecard.Input) ([]scorecard.Result, error)
}

// Score gives every valid entity of src its score file, judged by cards
// on repo, the facts of src's repository at src.Commit (what could not be
// read is Unknown there, so rules needing it are unknown, not failed),
// and groups (nil: a bare owner name counts as a group). It marks src
// Scored, so that Sync writes and removes score files to match. A
// scorecard that fails for an entity is recorded as that scorecard's
// error; the error returned is only ctx's.
func Score(ctx context.Context, src *Source, cards Scorer, repo facts.Repository, groups *scorecard.Catalog) error {
	r := scorecard.NewRepo(repo)
	for i, e := range src.Entities {
		if !e.valid() {
			continue
		}
		results, err := cards.Score(ctx, scorecard.Input{Entity: e.Document, Repo: r, Catalog: groups})
		if err != nil {
			return fmt.Errorf("score %s: %w", e.ref(), err)
		}
		if src.Entities[i].Score, err = ScoreFile(e, results); err != nil {
			return err
		}
	}
	src.Scored = true
	return nil
}

// ScoreFile renders an entity's score file: its element of `portico
// score --format json`'s entities, indented, which scorereport's
// ParseRecorded reads back. It is nil when no scorecard applies.
func ScoreFile(e Entity, results []scorecard.Result) ([]byte, error) {
	if len(results) == 0 || e.Document == nil {
		return nil, nil
	}
	ent := scorereport.Entity{Ref: e.ref(), Path: e.Path, Line: e.Document.Line, Scorecards: results}
	var b bytes.Buffer
	if err := scorereport.Write(&b, "json", []scorereport.Entity{ent}); err != nil {
		return nil, err
	}
	var rep struct{ Entities []json.RawMessage }
	if err := json.Unmarshal(b.Bytes(), &rep); err != nil || len(rep.Entities) != 1 {
		return nil, fmt.Errorf("score file of %s: the JSON report holds %d entities (%v)", ent.Ref, len(rep.Entities), err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, rep.Entities[0], "", "  "); err != nil {
		return nil, fmt.Errorf("score file of %s: %w", ent.Ref, err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// score plans the score file of an entity recorded at cp: written when
// it differs from the recorded one, removed when no scorecard applies.
func (p *plan) score(e Entity, cp string) error {
	if !p.src.Scored {
		return nil
	}
	sp := scorePath(cp)
	old, err := p.trees.lookup(p.root, sp)
	if err != nil {
		return err
	}
	switch {
	case e.Score == nil && old.IsZero():
		return nil
	case e.Score == nil:
		p.changes[sp] = plumbing.ZeroHash
	case plumbing.ComputeHash(plumbing.BlobObject, e.Score) == old:
		return nil
	default:
		if err := p.put(sp, e.Score); err != nil {
			return err
		}
	}
	p.res.Scores = append(p.res.Scores, sp)
	return nil
}

// dropScore removes the score file of the entity at cp, which goes.
func (o *op) dropScore(cp string, res *Result) error {
	sp := scorePath(cp)
	old, err := o.trees.lookup(o.root, sp)
	if err != nil || old.IsZero() {
		return err
	}
	o.changes[sp] = plumbing.ZeroHash
	res.Scores = append(res.Scores, sp)
	return nil
}

// GroupsFor gives scorecards the groups the catalog cat holds once src
// is recorded: cat's, but for those src recorded before, and src's own.
// A bare owner name then counts as a group only when the catalog has
// that group; it counts in any case when there is no catalog to judge
// by (cat nil, or both cat and src without entities). Judged this way,
// a source synced twice at one commit gets the same scores twice, the
// first time into an empty catalog included.
func GroupsFor(cat *Catalog, src Source) *scorecard.Catalog {
	var groups []descriptor.Ref
	if cat != nil {
		for _, r := range cat.Refs() {
			if rec, _ := cat.Get(r); strings.EqualFold(r.Kind, "group") && rec.SourceRepo != src.Repo {
				groups = append(groups, r)
			}
		}
	}
	declares := false
	for _, e := range src.Entities {
		if !e.valid() {
			continue
		}
		declares = true
		if d := e.Document; strings.EqualFold(d.Kind(), "group") {
			groups = append(groups, descriptor.Ref{Kind: d.Kind(), Namespace: d.Namespace(), Name: d.Name()})
		}
	}
	if cat == nil || (cat.Len() == 0 && !declares) {
		return nil
	}
	return scorecard.NewCatalog(groups)
}
