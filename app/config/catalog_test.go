package config

import (
	"reflect"
	"testing"
)

func TestCatalogLocationHosts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := writeFile(t, dir, "portico.yaml", "catalog:\n  location_hosts: [backstage.example.com, github.com/backstage]\n")
	cfg, err := Load(file, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"backstage.example.com", "github.com/backstage"}; !reflect.DeepEqual(cfg.Catalog.LocationHosts, want) {
		t.Errorf("from the file: %q, want %q", cfg.Catalog.LocationHosts, want)
	}
	cfg, err = Load(file, env(map[string]string{EnvCatalogLocationHosts: " a.example.com, ,b.example.com:8443 "}))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.example.com", "b.example.com:8443"}; !reflect.DeepEqual(cfg.Catalog.LocationHosts, want) {
		t.Errorf("from %s: %q, want %q", EnvCatalogLocationHosts, cfg.Catalog.LocationHosts, want)
	}
}
