package catalogsync

import (
	"context"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/jobs"
)

// Remover deletes sources from the catalog; *catalog.Store is one.
type Remover interface {
	RemoveWhere(ctx context.Context, match func(repo string) bool) (catalog.Result, error)
}

// Remove deletes, in one commit, every entity of the repositories that
// left the installation, or of all the account's repositories when the
// installation was deleted. Names are matched to the catalog's sources
// without regard to case, as GitHub matches them.
func (d *Discoverer) Remove(ctx context.Context, job *river.Job[RemoveArgs]) error {
	a := job.Args
	log := jobs.Logger(ctx, d.log).With("installation", a.InstallationID, "account", a.Account)
	ctx = gh.WithPriority(ctx, gh.Bulk, a.Account)
	res, err := d.store.RemoveWhere(ctx, leaving(a))
	if err != nil {
		return fmt.Errorf("remove repositories: %w", err)
	}
	if res.Commit == "" {
		log.Info("catalog holds nothing of the removed repositories", "repositories", len(a.Repos))
		return nil
	}
	log.Info("catalog removed repositories", "repositories", res.Repo, "deleted", len(res.Deleted), "commit", res.Commit)
	return nil
}

// leaving matches the catalog's sources that a removal names: the
// repositories named, or every one of the account when the App was
// uninstalled. The sources are those of the tree the removal commits on,
// so a source another replica added just before is not missed.
func leaving(a RemoveArgs) func(string) bool {
	named := map[string]bool{}
	for _, r := range a.Repos {
		named[strings.ToLower(r)] = true
	}
	return func(src string) bool {
		owner, _, _ := strings.Cut(src, "/")
		return named[strings.ToLower(src)] || (a.Uninstalled && strings.EqualFold(owner, a.Account))
	}
}
