package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/facts"
	"github.com/portico-dev/portico/app/scorecard"
)

// syncScorer scores the sources of one `catalog sync` run before they
// are recorded.
type syncScorer struct {
	cards   *scorecard.Engine
	facts   *facts.Checkout
	groups  *catalog.Loader
	central string // the local repository of the central catalog
	stderr  io.Writer
}

// score gives src's entities their score files: the facts of the
// checkout at dir (what cannot be read makes its rules unknown, with a
// warning) and the groups of the catalog once src is recorded.
func (s *syncScorer) score(ctx context.Context, dir string, src *catalog.Source) error {
	// Facts takes a descriptor's path and reads its enclosing repository.
	repo, err := s.facts.Facts(ctx, filepath.Join(dir, "catalog-info.yaml"))
	if err != nil {
		fmt.Fprintf(s.stderr, "portico: warning: %v (rules that need it are recorded as unknown)\n", err)
	}
	repo.Name = src.Repo
	cat, err := s.groups.Load(ctx, s.central, "")
	if err != nil {
		return fmt.Errorf("read the central catalog's groups: %w", err)
	}
	return catalog.Score(ctx, src, s.cards, repo, catalog.GroupsFor(cat, *src))
}
