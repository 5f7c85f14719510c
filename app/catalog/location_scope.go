package catalog

import (
	"net/url"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"

	"github.com/portico-dev/portico/app/descriptor"
)

// WithLocationHosts lets the Location entities of sources target URLs on
// these hosts ("host[:port]" or "host/path-prefix") besides their own
// repository and organisation (descriptor.LocationScope).
func WithLocationHosts(hosts []string) Option {
	return func(s *Store) { s.locationHosts = hosts }
}

// locationScope is where a Location entity of src, in the file at path,
// may point: its repository, and its organisation on the server of its
// web URL. A source without one (a checkout without an origin) keeps
// relative targets only, and the hosts allowed.
func (s *Store) locationScope(src Source, path string) descriptor.LocationScope {
	return sourceScope(src, path, s.locationHosts)
}

func sourceScope(src Source, path string, hosts []string) descriptor.LocationScope {
	scope := descriptor.LocationScope{File: path, Hosts: hosts}
	u, err := url.Parse(src.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return scope
	}
	owner, _, _ := strings.Cut(src.Repo, "/")
	scope.Server, scope.Org = u.Scheme+"://"+u.Host, owner
	return scope
}

// CheckoutLocationScope is where the Location entities of the descriptor
// file at path on disk may point: inside the git checkout around it (its
// own directory when there is none), and inside the organisation its
// origin names, when it has a hosted one. Without it, only relative
// targets and the hosts allowed are accepted.
func CheckoutLocationScope(path string, hosts []string) descriptor.LocationScope {
	abs, err := filepath.Abs(path)
	if err != nil {
		return descriptor.LocationScope{File: filepath.Base(path), Hosts: hosts}
	}
	scope := descriptor.LocationScope{File: filepath.Base(abs), Hosts: hosts}
	repo, err := git.PlainOpenWithOptions(filepath.Dir(abs), &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return scope
	}
	wt, err := repo.Worktree()
	if err != nil {
		return scope
	}
	if rel, err := filepath.Rel(wt.Filesystem.Root(), abs); err == nil && !strings.HasPrefix(rel, "..") {
		scope.File = filepath.ToSlash(rel)
	}
	remote, err := repo.Remote("origin")
	if err != nil || len(remote.Config().URLs) == 0 {
		return scope
	}
	name, web, err := parseOrigin(remote.Config().URLs[0])
	if err != nil {
		return scope
	}
	return sourceScope(Source{Repo: name, URL: web}, scope.File, hosts)
}
