package platform

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/google/go-github/v62/github"

	"github.com/portico-dev/portico/app/scorecard"
	"github.com/portico-dev/portico/policies"
)

// ScorecardsDir is the folder of the policies that holds the scorecards.
const ScorecardsDir = "scorecards"

// Scorecards yields the compiled scorecards for an installation, from the
// same place as the policies: the platform repository's default branch
// (policies/scorecards/), a directory's scorecards/, or the embedded
// defaults when either has none.
type Scorecards struct {
	src   *Source
	fixed *scorecard.Engine
	opts  []scorecard.Option

	mu    sync.Mutex
	sha   string
	cache *scorecard.Engine
	err   error // a malformed scorecard at sha: refused until the next commit
}

// Scorecards returns the scorecards that go with s's policies, compiled
// with opts (the policy section's sandbox and time bound). Fixed
// sources compile theirs here, so that a malformed one fails at start.
func (s *Source) Scorecards(ctx context.Context, opts ...scorecard.Option) (*Scorecards, error) {
	sc := &Scorecards{src: s, opts: opts}
	if s.repo != "" {
		return sc, nil
	}
	fsys := policies.ScorecardsFS
	if s.fsys != nil {
		if st, err := fs.Stat(s.fsys, ScorecardsDir); err == nil && st.IsDir() {
			fsys, _ = fs.Sub(s.fsys, ScorecardsDir)
		}
	}
	eng, err := scorecard.New(ctx, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("platform scorecards: %w", err)
	}
	sc.fixed = eng
	return sc, nil
}

// Scorecards returns the engine to score installation's pull requests
// with, compiled once per commit of the platform repository.
func (sc *Scorecards) Scorecards(ctx context.Context, installation int64) (*scorecard.Engine, error) {
	if sc.fixed != nil {
		return sc.fixed, nil
	}
	c, err := sc.src.clients.Installation(installation)
	if err != nil {
		return nil, fmt.Errorf("platform scorecards: %w", err)
	}
	owner, name, _ := strings.Cut(sc.src.repo, "/")
	sha, err := defaultBranchTip(ctx, c, owner, name)
	if err != nil {
		return nil, err
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.sha != sha {
		sc.cache, sc.err = compileScorecards(ctx, c, owner, name, sha, sc.opts)
		sc.sha = sha
		if ctx.Err() != nil {
			sc.sha = "" // cancelled, not refused: compile again next time
		}
	}
	return sc.cache, sc.err
}

// compileScorecards fetches policies/scorecards/ at sha and compiles
// it, or the embedded defaults when the repository has none.
func compileScorecards(ctx context.Context, c *github.Client, owner, name, sha string, opts []scorecard.Option) (*scorecard.Engine, error) {
	dir, err := policiesTree(ctx, c, owner, name, sha)
	if err != nil {
		return nil, err
	}
	fsys := policies.ScorecardsFS
	if cards := scorecardsOnly(dir); cards != nil {
		all, err := fetchRego(ctx, c, owner, name, cards)
		if err != nil {
			return nil, err
		}
		if fsys, err = fs.Sub(all, ScorecardsDir); err != nil {
			return nil, fmt.Errorf("platform scorecards: %w", err)
		}
	}
	eng, err := scorecard.New(ctx, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("platform scorecards at %s: %w", sha[:min(len(sha), 12)], err)
	}
	return eng, nil
}

// scorecardsOnly keeps the scorecards of the policies/ tree, so that
// only their blobs are fetched; nil when there are none.
func scorecardsOnly(dir *github.Tree) *github.Tree {
	if dir == nil {
		return nil
	}
	var keep []*github.TreeEntry
	for _, e := range dir.Entries {
		if e.GetType() == "blob" && strings.HasPrefix(e.GetPath(), ScorecardsDir+"/") && strings.HasSuffix(e.GetPath(), ".rego") {
			keep = append(keep, e)
		}
	}
	if len(keep) == 0 {
		return nil
	}
	return &github.Tree{Entries: keep}
}
