package catalogsync

import (
	"context"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/catalog"
)

// Remover deletes sources from the catalog; *catalog.Store is one.
type Remover interface {
	Remove(ctx context.Context, repos ...string) (catalog.Result, error)
	Sources() ([]string, error)
}

// Remove deletes, in one commit, every entity of the repositories that
// left the installation, or of all the account's repositories when the
// installation was deleted. Names are matched to the catalog's sources
// without regard to case, as GitHub matches them.
func (d *Discoverer) Remove(ctx context.Context, job *river.Job[RemoveArgs]) error {
	a := job.Args
	log := d.log.With("installation", a.InstallationID, "account", a.Account)
	sources, err := d.store.Sources()
	if err != nil {
		return fmt.Errorf("list catalog sources: %w", err)
	}
	gone := leaving(sources, a)
	if len(gone) == 0 {
		log.Info("catalog holds nothing of the removed repositories", "repositories", len(a.Repos))
		return nil
	}
	res, err := d.store.Remove(ctx, gone...)
	if err != nil {
		return fmt.Errorf("remove %d sources: %w", len(gone), err)
	}
	log.Info("catalog removed repositories", "repositories", gone, "deleted", len(res.Deleted), "commit", res.Commit)
	return nil
}

// leaving picks the catalog's sources that a removal names.
func leaving(sources []string, a RemoveArgs) []string {
	named := map[string]bool{}
	for _, r := range a.Repos {
		named[strings.ToLower(r)] = true
	}
	var out []string
	for _, src := range sources {
		owner, _, _ := strings.Cut(src, "/")
		if named[strings.ToLower(src)] || (a.Uninstalled && strings.EqualFold(owner, a.Account)) {
			out = append(out, src)
		}
	}
	return out
}
