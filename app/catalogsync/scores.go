package catalogsync

import (
	"context"
	"log/slog"

	"github.com/google/go-github/v62/github"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/facts"
	"github.com/portico-dev/portico/app/ghfacts"
	"github.com/portico-dev/portico/app/scorecard"
)

// Scorecards gives the scorecards of an installation, compiled once per
// platform commit; *platform.Scorecards is one.
type Scorecards interface {
	Scorecards(ctx context.Context, installation int64) (*scorecard.Engine, error)
}

// Catalogs gives the central catalog as it stands, for its groups.
type Catalogs interface {
	Catalog(ctx context.Context) (*catalog.Catalog, error)
}

// WithScorecards records each synced entity's scores beside it, judged
// by the installation's scorecards on the repository's facts at the
// synced commit and on the groups of cats (nil: a bare owner name
// counts as a group).
func (r *Runner) WithScorecards(s Scorecards, cats Catalogs) *Runner {
	r.scorecards, r.catalogs = s, cats
	return r
}

// score gives src's entities their score files. Scorecards that cannot
// be loaded (a malformed one on the platform's default branch) leave the
// recorded scores as they are; facts that cannot be read make their
// rules unknown. The tree the sync listed is reused: the facts cost the
// protection and languages requests only.
func (r *Runner) score(ctx context.Context, log *slog.Logger, c *github.Client, a SyncArgs, tree []*github.TreeEntry, src *catalog.Source) error {
	if r.scorecards == nil || len(src.Entities) == 0 {
		return nil
	}
	eng, err := r.scorecards.Scorecards(ctx, a.InstallationID)
	if err != nil {
		log.Warn("scorecards could not be loaded: recorded scores left as they are", "error", err)
		return nil
	}
	remote := listedTree{Remote: ghfacts.New(c, a.Owner, a.Repo), sha: a.HeadSHA, entries: tree, branch: a.Branch}
	repo, err := facts.FromRemote(ctx, remote, src.Repo, a.HeadSHA)
	if err != nil {
		log.Info("some facts could not be read: their rules are recorded as unknown", "error", err)
	}
	var cat *catalog.Catalog
	if r.catalogs != nil {
		if cat, err = r.catalogs.Catalog(ctx); err != nil {
			return err
		}
	}
	return catalog.Score(ctx, src, eng, repo, catalog.GroupsFor(cat, *src))
}

// listedTree is the repository's facts.Remote with the commit's tree, as
// the sync listed it whole, and the default branch that the job names.
type listedTree struct {
	*ghfacts.Remote
	sha     string
	entries []*github.TreeEntry
	branch  string
}

func (t listedTree) Tree(ctx context.Context, sha string, recursive bool) ([]facts.TreeEntry, bool, error) {
	if sha != t.sha || !recursive {
		return t.Remote.Tree(ctx, sha, recursive)
	}
	out := make([]facts.TreeEntry, len(t.entries))
	for i, e := range t.entries {
		out[i] = facts.TreeEntry{Path: e.GetPath(), Type: e.GetType(), SHA: e.GetSHA()}
	}
	return out, false, nil
}

func (t listedTree) DefaultBranch(ctx context.Context) (string, error) {
	if t.branch != "" {
		return t.branch, nil
	}
	return t.Remote.DefaultBranch(ctx)
}
