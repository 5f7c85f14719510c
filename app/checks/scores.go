package checks

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/facts"
	"github.com/portico-dev/portico/app/scorecard"
)

// Scorecards gives the scorecard engine an installation's checks score
// with: the platform configuration's, or the embedded defaults.
type Scorecards interface {
	Scorecards(ctx context.Context, installation int64) (*scorecard.Engine, error)
}

// WithScorecards adds the scorecard section to the check: the level and
// points of each entity the change touches, or whose repository facts it
// changes, at the base and at the head, and the rules it breaks and
// fixes. A moved score never fails the check; failBelow (LEVEL or
// SCORECARD:LEVEL, "" for none) does, for an entity below it at the head.
func (r *Runner) WithScorecards(s Scorecards, failBelow string) *Runner {
	r.scorecards, r.failBelow = s, failBelow
	r.facts = &factsCache{}
	return r
}

// maxScored bounds the descriptors one check scores: past it, the
// section says how many it left out (each costs a read or two).
const maxScored = 50

// maxListedChanges is the most files GitHub lists for a pull request: a
// list that long may be cut short, so the base's files are not known.
const maxListedChanges = 3000

// scoreJob is what the scorecard section is computed from.
type scoreJob struct {
	a        CheckArgs
	numbers  []int
	changes  []Change // of the first pull request
	cat      *catalog.Catalog
	maxBytes int64
}

// scores is the scorecard section.
type scores struct {
	entities []entityScore
	loadErr  error // the scorecards could not be loaded
	factsErr error // facts could not all be read: their rules are unknown
	left     int   // descriptors not scored, past maxScored
	gate     failGate
}

// entityScore is what the change does to one entity's scores.
type entityScore struct {
	ref     string
	path    string
	line    int
	changes []scorecard.Change
}

// score computes the scorecard section, or nil when there is nothing
// to score: a repository without descriptors costs one tree request and
// no write beyond the check's own.
func (r *Runner) score(ctx context.Context, repo Repo, j scoreJob, res *result) (*scores, error) {
	if r.scorecards == nil || len(j.numbers) == 0 {
		return nil, nil
	}
	eng, err := r.scorecards.Scorecards(ctx, j.a.InstallationID)
	if err != nil {
		return &scores{loadErr: err}, nil
	}
	if len(eng.Scorecards()) == 0 {
		return nil, nil
	}
	files, treeErr := facts.TreeFiles(ctx, repo, j.a.HeadSHA)
	paths := r.scoredPaths(res, files, treeErr == nil && pathsMoved(j.changes))
	if len(paths) == 0 {
		return nil, ctx.Err()
	}
	s := &scores{}
	if len(paths) > maxScored {
		s.left, paths = len(paths)-maxScored, paths[:maxScored]
	}
	if s.gate, err = parseFailBelow(r.failBelow, eng.Scorecards()); err != nil {
		return &scores{loadErr: err}, nil
	}
	head, err := r.facts.get(ctx, repo, j.a.Owner+"/"+j.a.Repo, j.a.HeadSHA, files, treeErr)
	s.factsErr = err
	base := baseFacts(head, j.changes)
	sc := &scoring{eng: eng, repo: repo, j: j, res: res, base: scorecard.NewRepo(base), head: scorecard.NewRepo(head), groups: groups(j.cat)}
	for _, p := range paths {
		es, err := sc.file(ctx, p)
		if err != nil {
			return nil, err
		}
		s.entities = append(s.entities, es...)
	}
	if len(s.entities) == 0 && s.left == 0 {
		return nil, nil
	}
	return s, nil
}

// scoredPaths lists the descriptors to score: those the change touches
// and, when it adds, removes or renames files (the facts scorecards
// judge), every descriptor of the head tree.
func (r *Runner) scoredPaths(res *result, files []string, all bool) []string {
	paths := slicesFromKeys(res.heads)
	if all {
		for _, f := range files {
			if r.matcher.Match(f) && !slices.Contains(paths, f) {
				paths = append(paths, f)
			}
		}
	}
	slices.Sort(paths)
	return paths
}

func slicesFromKeys(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// pathsMoved reports whether the change adds, removes or renames a file:
// a change of contents alone leaves the facts as they were.
func pathsMoved(changes []Change) bool {
	return slices.ContainsFunc(changes, func(c Change) bool { return c.Status != "modified" && c.Status != "changed" && c.Status != "unchanged" })
}

// baseFacts are the head's facts with the change undone: the files the
// pull request's diff (against its merge base) adds are taken away, the
// ones it removes put back. Reading them this way costs no request, and
// it leaves out what others merged to the base branch meanwhile, which
// this change does not do. A list GitHub may have cut short leaves the
// base's files unknown.
func baseFacts(head facts.Repository, changes []Change) facts.Repository {
	base := head
	base.Files = nil
	if !head.Known(facts.Files) || len(changes) >= maxListedChanges {
		if head.Known(facts.Files) {
			base.Unknown = append(slices.Clone(head.Unknown), facts.Files)
		}
		return base
	}
	drop, add := map[string]bool{}, map[string]bool{}
	for _, c := range changes {
		switch c.Status {
		case "added", "copied":
			drop[c.Path] = true
		case "removed":
			add[c.Path] = true
		case "renamed":
			drop[c.Path], add[c.Previous] = true, true
		}
	}
	for _, f := range head.Files {
		if !drop[f] {
			base.Files = append(base.Files, f)
		}
	}
	for f := range add {
		base.Files = append(base.Files, f)
	}
	slices.Sort(base.Files)
	base.Files = slices.Compact(base.Files)
	return base
}

// groups are the central catalog's groups, for owner rules; nil without
// a catalog.
func groups(cat *catalog.Catalog) *scorecard.Catalog {
	if cat == nil {
		return nil
	}
	var gs []descriptor.Ref
	for _, r := range cat.Refs() {
		if strings.EqualFold(r.Kind, "group") {
			gs = append(gs, r)
		}
	}
	return scorecard.NewCatalog(gs)
}

func firstOf(changed [][]Change) []Change {
	if len(changed) == 0 {
		return nil
	}
	return changed[0]
}

// factsCacheSize bounds the commits whose facts are kept: enough for
// the checks under way and their re-runs, without growing for ever.
const factsCacheSize = 256

// factsCache is facts.Cache, emptied when it holds factsCacheSize
// commits.
type factsCache struct {
	mu    sync.Mutex
	n     int
	cache *facts.Cache
}

// get gathers the facts of name at sha, whose files are already listed
// (or could not be, treeErr).
func (c *factsCache) get(ctx context.Context, repo Repo, name, sha string, files []string, treeErr error) (facts.Repository, error) {
	c.mu.Lock()
	if c.cache == nil || c.n >= factsCacheSize {
		c.cache, c.n = &facts.Cache{}, 0
	}
	c.n++
	cache := c.cache
	c.mu.Unlock()
	return cache.Get(ctx, name+"@"+sha, func(ctx context.Context) (facts.Repository, error) {
		return facts.FromRemote(ctx, listed{Remote: repo, sha: sha, files: files, err: treeErr}, name, sha)
	})
}

// listed is a Remote whose tree at sha was listed already: gathering
// the facts does not ask for it again.
type listed struct {
	facts.Remote
	sha   string
	files []string
	err   error
}

func (l listed) Tree(ctx context.Context, sha string, recursive bool) ([]facts.TreeEntry, bool, error) {
	if sha != l.sha || !recursive {
		return l.Remote.Tree(ctx, sha, recursive)
	}
	if l.err != nil {
		return nil, false, l.err
	}
	out := make([]facts.TreeEntry, len(l.files))
	for i, f := range l.files {
		out[i] = facts.TreeEntry{Path: f, Type: "blob"}
	}
	return out, false, nil
}

// logScores notes what the section could not read, once per check.
func logScores(log *slog.Logger, s *scores) {
	if s == nil {
		return
	}
	if s.loadErr != nil {
		log.Warn("scorecards unavailable: check without its scorecard section", "error", s.loadErr)
	}
	if s.factsErr != nil {
		log.Warn("repository facts unreadable: their rules are unknown", "error", fmt.Sprint(s.factsErr))
	}
}
