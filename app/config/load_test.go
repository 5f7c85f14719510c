package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, path := range []string{"", filepath.Join(dir, "absent.yaml"), writeFile(t, dir, "empty.yaml", "")} {
		cfg, err := Load(path, env(map[string]string{EnvDataDir: dir}))
		if err != nil {
			t.Fatalf("Load(%q): %v", path, err)
		}
		want := Default()
		want.DataDir = dir
		if !reflect.DeepEqual(cfg, want) {
			t.Errorf("Load(%q) = %+v, want %+v", path, cfg, want)
		}
		if cfg.AppConfigured() || cfg.Platform.Source() != SourceEmbedded {
			t.Errorf("Load(%q): want setup mode on embedded defaults", path)
		}
	}
}

func TestExampleLoads(t *testing.T) {
	t.Parallel()
	cfg, err := Load("example.yaml", env(map[string]string{EnvDataDir: t.TempDir()}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.PublicURL != "https://portico.example.com" || cfg.Platform.Repository != "acme/platform" ||
		cfg.Listen != DefaultListen || cfg.GitHub.URL != DefaultGitHubURL {
		t.Errorf("example.yaml loaded as %+v", cfg)
	}
}

func TestStrictDecoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown root key", "listen: \":1\"\nlisten_addr: x\n", "line 2: unknown key listen_addr"},
		{"unknown nested key", "github:\n  url: https://x\n  app: 3\n", "line 3: unknown key app"},
		{"wrong type", "github:\n  app_id: twelve\n", "line 2: cannot unmarshal"},
		{"two documents", "listen: \":1\"\n---\nlisten: \":2\"\n", "only one YAML document"},
		{"syntax error", "listen: [\n", "yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := writeFile(t, t.TempDir(), "portico.yaml", tt.yaml)
			_, err := Load(path, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load error = %v, want it to contain %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestEnvOverrides(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	keyFile := writeFile(t, dir, "key.pem", testKey())
	yaml := "listen: \":1\"\nplatform:\n  dir: ./p\ngithub:\n  private_key_file: /nonexistent\n"
	path := writeFile(t, dir, "portico.yaml", yaml)
	cfg, err := Load(path, env(map[string]string{
		EnvListen:                ":9",
		EnvMetricsListen:         "127.0.0.1:9",
		EnvPublicURL:             "https://p.example",
		EnvDocsURL:               "https://ghe.example/mirrors/portico/blob/v1/",
		EnvDataDir:               dir,
		EnvLogLevel:              "debug",
		EnvDatabaseURL:           "postgres://u:p@db/portico",
		EnvGitHubURL:             "https://ghe.example/api/v3",
		EnvGitHubAppID:           "42",
		EnvGitHubPrivateKeyFile:  keyFile,
		EnvWebhookSecret:         "whsec",
		EnvPlatformRepository:    "acme/platform",
		EnvCatalogRepository:     "acme/catalog",
		EnvInsecureSkipSignature: "true",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		Listen: ":9", MetricsListen: "127.0.0.1:9", PublicURL: "https://p.example", DataDir: dir, LogLevel: "debug",
		DocsURL:  "https://ghe.example/mirrors/portico/blob/v1/",
		Database: Database{URL: "postgres://u:p@db/portico"},
		GitHub: GitHub{URL: "https://ghe.example/api/v3", AppID: 42, PrivateKey: Secret(testKey()),
			PrivateKeyFile: keyFile, WebhookSecret: "whsec"},
		Platform:              Platform{Repository: "acme/platform"},
		Catalog:               Catalog{Repository: "acme/catalog"},
		InsecureSkipSignature: true,
	}
	if !reflect.DeepEqual(*cfg, want) {
		t.Errorf("got %+v\nwant %+v", cfg, want)
	}
}

func TestEnvPrivateKeyInline(t *testing.T) {
	t.Parallel()
	escaped := strings.ReplaceAll(testKey(), "\n", `\n`)
	for name, value := range map[string]string{"newlines": testKey(), "escaped": escaped} {
		cfg, err := Load("", env(map[string]string{
			EnvDataDir: t.TempDir(), EnvGitHubAppID: "7", EnvGitHubPrivateKey: value, EnvWebhookSecret: "s",
		}))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if cfg.GitHub.PrivateKey.Reveal() != testKey() || !cfg.AppConfigured() {
			t.Errorf("%s: key not loaded as PEM", name)
		}
	}
}

func TestEnvErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"app id not a number", map[string]string{EnvGitHubAppID: "abc"}, EnvGitHubAppID},
		{"app id negative", map[string]string{EnvGitHubAppID: "-3"}, EnvGitHubAppID},
		{"both key variables", map[string]string{EnvGitHubPrivateKey: "k", EnvGitHubPrivateKeyFile: "f"}, "not both"},
		{"both platform variables", map[string]string{EnvPlatformRepository: "a/b", EnvPlatformDir: "d"}, "not both"},
		{"insecure not a bool", map[string]string{EnvInsecureSkipSignature: "maybe"}, EnvInsecureSkipSignature},
		{"key file missing", map[string]string{EnvGitHubPrivateKeyFile: "/nonexistent/app.pem"}, "private_key_file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load("", env(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
