package checks

import "github.com/portico-dev/portico/app/descriptor"

// WithLocations makes the check report Location targets that leave the
// pull request's repository or its organisation on server, the GitHub
// web address (https://github.com, or a GHES host), unless one of hosts
// allows them (descriptor.CheckLocation).
func (r *Runner) WithLocations(server string, hosts []string) *Runner {
	r.locationServer, r.locationHosts = server, hosts
	r.checkLocations = true
	return r
}

// locationScope scopes the Location entities of a changed file of the
// repository of a.
func (r *Runner) locationScope(a CheckArgs) func(path string) descriptor.LocationScope {
	return func(path string) descriptor.LocationScope {
		return descriptor.LocationScope{File: path, Server: r.locationServer, Org: a.Owner, Hosts: r.locationHosts}
	}
}
