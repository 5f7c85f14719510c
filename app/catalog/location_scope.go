package catalog

import (
	"net/url"
	"strings"

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
	scope := descriptor.LocationScope{File: path, Hosts: s.locationHosts}
	u, err := url.Parse(src.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return scope
	}
	owner, _, _ := strings.Cut(src.Repo, "/")
	scope.Server, scope.Org = u.Scheme+"://"+u.Host, owner
	return scope
}
