package cli

import (
	"cmp"
	"context"
	"errors"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"github.com/portico-dev/portico/app/catalog"
)

// githubRepo is owner/name, as --catalog names a repository on GitHub.
var githubRepo = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$`)

// defaultServer is GitHub's address when GITHUB_SERVER_URL (set by
// GitHub Actions, a GHES address there) is not.
const defaultServer = "https://github.com"

// loadCatalog loads the central catalog that --catalog names: a local
// repository when the path exists, else owner/name of a repository on
// GitHub, or a Git URL. GITHUB_TOKEN, when set, authenticates the fetch,
// and only to the GitHub server itself: a URL elsewhere never gets it.
func loadCatalog(ctx context.Context, src string, getenv func(string) string) (*catalog.Catalog, error) {
	u, auth, ok := remoteCatalog(src, getenv)
	if !ok {
		return catalog.Load(ctx, src, "")
	}
	return catalog.LoadRemote(ctx, u, auth)
}

// remoteCatalog tells a remote central catalog (owner/name or a Git URL,
// and no such local path) from a local repository, and gives its URL and
// credentials.
func remoteCatalog(src string, getenv func(string) string) (string, transport.AuthMethod, bool) {
	if _, err := os.Stat(src); err == nil || !(githubRepo.MatchString(src) || strings.Contains(src, "://")) {
		return "", nil, false
	}
	server := strings.TrimSuffix(cmp.Or(getenv("GITHUB_SERVER_URL"), defaultServer), "/")
	u := src
	if githubRepo.MatchString(src) {
		u = server + "/" + src + ".git"
	}
	return u, tokenFor(u, server, getenv("GITHUB_TOKEN")), true
}

// tokenFor returns basic auth with token for URLs on server's host.
func tokenFor(repoURL, server, token string) transport.AuthMethod {
	if token == "" || !sameHost(repoURL, server) {
		return nil
	}
	return &githttp.BasicAuth{Username: "x-access-token", Password: token}
}

func sameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return errors.Join(err1, err2) == nil && ua.Scheme == ub.Scheme && strings.EqualFold(ua.Host, ub.Host) && ua.User == nil
}
