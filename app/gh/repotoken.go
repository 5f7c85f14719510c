package gh

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/google/go-github/v62/github"
)

// repoTokens caches tokens narrowed to one repository.
type repoTokens struct {
	mu     sync.Mutex
	tokens map[string]*github.InstallationToken
}

// tokenMargin is how long before its expiry a cached token is replaced.
const tokenMargin = time.Minute

// ContentsToken returns a token of installation id that reaches only the
// repository repo (its name, without the owner) and may only read and
// write its contents and read its metadata: the least a Git fetch and
// push need. The central catalog is pushed with it, so that a token
// handed to Git can write nothing else. It is cached until a minute
// before it expires.
func (a *Apps) ContentsToken(ctx context.Context, id int64, repo string) (string, error) {
	key := strconv.FormatInt(id, 10) + "/" + repo
	a.repoTokens.mu.Lock()
	defer a.repoTokens.mu.Unlock()
	if t := a.repoTokens.tokens[key]; t != nil && time.Until(t.GetExpiresAt().Time) > tokenMargin {
		return t.GetToken(), nil
	}
	t, _, err := a.app.Apps.CreateInstallationToken(ctx, id, &github.InstallationTokenOptions{
		Repositories: []string{repo},
		Permissions:  &github.InstallationPermissions{Contents: github.String("write"), Metadata: github.String("read")},
	})
	if err != nil {
		return "", fmt.Errorf("installation %d token for %s: %w", id, repo, err)
	}
	if a.repoTokens.tokens == nil {
		a.repoTokens.tokens = map[string]*github.InstallationToken{}
	}
	a.repoTokens.tokens[key] = t
	return t.GetToken(), nil
}
