package catalog

import (
	"context"
	"fmt"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/storage/memory"
)

// LoadRemote loads the catalog at the tip of the main branch of a remote
// repository, fetched into memory (that commit only, no history, no
// checkout), as a pipeline does that checks references against a central
// catalog on GitHub. auth may be nil.
func LoadRemote(ctx context.Context, url string, auth transport.AuthMethod) (*Catalog, error) {
	repo, err := git.CloneContext(ctx, memory.NewStorage(), nil, &git.CloneOptions{
		URL: url, Auth: auth, ReferenceName: Branch, SingleBranch: true, Depth: 1, NoCheckout: true, Tags: git.NoTags,
	})
	if err != nil {
		return nil, fmt.Errorf("load catalog %s: %w", url, err)
	}
	return NewLoader().load(ctx, repo, func() (*git.Repository, error) { return repo, nil }, "")
}
