package cli

import (
	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/validate"
)

// locationHosts lets Location entities target the hosts of
// PORTICO_CATALOG_LOCATION_HOSTS (the CLI has no configuration file)
// beyond their own organisation.
func locationHosts(getenv func(string) string) catalog.Option {
	return catalog.WithLocationHosts(config.LocationHostsFromEnv(getenv))
}

// diskLocations scopes the Location entities of files on disk: the git
// checkout around each file and the organisation its origin names (see
// catalog.CheckoutLocationScope). Standard input counts as a file in the
// current directory.
func diskLocations(getenv func(string) string) validate.Locations {
	hosts := config.LocationHostsFromEnv(getenv)
	return func(path string) descriptor.LocationScope {
		if path == validate.StdinPath {
			path = "catalog-info.yaml"
		}
		return catalog.CheckoutLocationScope(path, hosts)
	}
}
