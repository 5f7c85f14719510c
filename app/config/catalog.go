package config

// EnvCatalogLocationHosts overrides catalog.location_hosts, comma
// separated. `portico validate` and `portico catalog sync` read it too:
// the CLI has no configuration file.
const EnvCatalogLocationHosts = "PORTICO_CATALOG_LOCATION_HOSTS"

func envCatalog(cfg *Config, getenv func(string) string) error {
	if v := getenv(EnvCatalogLocationHosts); v != "" {
		cfg.Catalog.LocationHosts = splitList(v)
	}
	return nil
}

// LocationHostsFromEnv reads catalog.location_hosts from the environment
// alone, for the CLI.
func LocationHostsFromEnv(getenv func(string) string) []string {
	var cfg Config
	_ = envCatalog(&cfg, getenv)
	return cfg.Catalog.LocationHosts
}
