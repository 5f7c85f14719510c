package config

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*Config)
		want   string // "" means valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"app with secret", func(c *Config) {
			c.GitHub.AppID, c.GitHub.PrivateKey, c.GitHub.WebhookSecret = 1, Secret(testKey()), "s"
		}, ""},
		{"app insecure without secret", func(c *Config) {
			c.GitHub.AppID, c.GitHub.PrivateKey, c.InsecureSkipSignature = 1, Secret(testKey()), true
		}, ""},
		{"app without webhook secret", func(c *Config) { c.GitHub.AppID, c.GitHub.PrivateKey = 1, Secret(testKey()) }, "github.webhook_secret: required"},
		{"app id without key", func(c *Config) { c.GitHub.AppID = 1 }, "no private key"},
		{"key without app id", func(c *Config) { c.GitHub.PrivateKey = Secret(testKey()) }, "no app_id"},
		{"key not PEM", func(c *Config) { c.GitHub.AppID, c.GitHub.PrivateKey = 1, "not a key" }, "not PEM"},
		{"key not RSA", func(c *Config) {
			c.GitHub.AppID, c.GitHub.PrivateKey = 1, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
		}, "not an RSA private key"},
		{"listen", func(c *Config) { c.Listen = "8080" }, "listen:"},
		{"metrics listen", func(c *Config) { c.MetricsListen = "9090" }, "metrics_listen:"},
		{"metrics listen same as listen", func(c *Config) { c.MetricsListen = c.Listen }, "metrics_listen:"},
		{"metrics listen apart", func(c *Config) { c.MetricsListen = "127.0.0.1:9090" }, ""},
		{"public url relative", func(c *Config) { c.PublicURL = "portico.example" }, "public_url:"},
		{"docs url relative", func(c *Config) { c.DocsURL = "ghe.example/portico/blob/main" }, "docs_url:"},
		{"public url query", func(c *Config) { c.PublicURL = "https://p.example/?a=b" }, "query"},
		{"data dir", func(c *Config) { c.DataDir = "" }, "data_dir:"},
		{"log level", func(c *Config) { c.LogLevel = "loud" }, "log_level:"},
		{"github url", func(c *Config) { c.GitHub.URL = "ftp://x" }, "github.url:"},
		{"database scheme", func(c *Config) { c.Database.URL = "mysql://x" }, "database.url:"},
		{"platform both", func(c *Config) { c.Platform = Platform{Repository: "a/b", Dir: "d"} }, "not both"},
		{"platform repo", func(c *Config) { c.Platform.Repository = "just-a-name" }, "platform.repository:"},
		{"catalog repo", func(c *Config) { c.Catalog.Repository = "a/b/../c" }, "catalog.repository:"},
		{"write limits", func(c *Config) {
			c.GitHub.WriteLimits = WriteLimits{Checks: KindLimits{true, []Limit{{Requests: 100, Per: time.Minute}}}}
		}, ""},
		{"write limits base", func(c *Config) { c.GitHub.WriteLimits = WriteLimits{Base: "fast"} }, "github.write_limits:"},
		{"write limits zero", func(c *Config) {
			c.GitHub.WriteLimits = WriteLimits{Content: KindLimits{true, []Limit{{Requests: 0, Per: time.Minute}}}}
		}, "github.write_limits.content:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := Default()
			tt.change(cfg)
			err := cfg.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Validate() = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestValidateReportsAll(t *testing.T) {
	t.Parallel()
	cfg := Default()
	cfg.Listen, cfg.LogLevel, cfg.GitHub.URL = "x", "y", "z"
	err := cfg.Validate()
	for _, key := range []string{"listen:", "log_level:", "github.url:"} {
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("Validate() = %v, want a line for %s", err, key)
		}
	}
}

func TestValidateHidesDatabasePassword(t *testing.T) {
	t.Parallel()
	cfg := Default()
	cfg.Database.URL = "postgres://u:hunter2@db:badport/x"
	err := cfg.Validate()
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("Validate() = %v: want an error without the password", err)
	}
}

func TestWebURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ rest, want string }{
		{"https://api.github.com", "https://github.com"},
		{"https://api.github.com/", "https://github.com"},
		{"https://api.acme.ghe.com", "https://acme.ghe.com"},
		{"https://ghe.example/api/v3", "https://ghe.example"},
		{"https://ghe.example/api/v3/", "https://ghe.example"},
		{"http://127.0.0.1:9999", "http://127.0.0.1:9999"},
		{"http://127.0.0.1:9999/", "http://127.0.0.1:9999"},
	}
	for _, tt := range tests {
		got, err := WebURL(tt.rest)
		if err != nil || got != tt.want {
			t.Errorf("WebURL(%q) = %q, %v; want %q", tt.rest, got, err, tt.want)
		}
	}
	if _, err := WebURL("not a url"); err == nil {
		t.Error("WebURL(not a url): want an error")
	}
}

func TestWarnings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := Default()
	cfg.DataDir = dir
	if w := cfg.Warnings(); len(w) != 0 {
		t.Fatalf("defaults warn: %q", w)
	}
	cfg.InsecureSkipSignature = true
	cfg.GitHub.PrivateKeyFile = writeFile(t, dir, "open.pem", "x")
	if err := os.Chmod(cfg.GitHub.PrivateKeyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	w := strings.Join(cfg.Warnings(), "\n")
	for _, want := range []string{"INSECURE", "open.pem is readable by others"} {
		if !strings.Contains(w, want) {
			t.Errorf("Warnings() = %q, want %q", w, want)
		}
	}
}

func TestJobsSettings(t *testing.T) {
	t.Parallel()
	env := map[string]string{"PORTICO_JOB_TIMEOUT": "2s", "PORTICO_JOB_RESCUE_AFTER": "5s", "PORTICO_JOB_KEY_LEASE": "3s"}
	cfg, err := Load("", func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Jobs.Timeout != 2*time.Second || cfg.Jobs.RescueAfter != 5*time.Second || cfg.Jobs.KeyLease != 3*time.Second {
		t.Errorf("jobs %+v", cfg.Jobs)
	}
	if err := (Jobs{Timeout: 5 * time.Second, RescueAfter: 5 * time.Second}).validate(); err == nil {
		t.Error("rescue_after equal to timeout was accepted")
	}
	env["PORTICO_JOB_TIMEOUT"] = "soon"
	if _, err := Load("", func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "PORTICO_JOB_TIMEOUT") {
		t.Errorf("bad duration: err = %v", err)
	}
}

func TestChecksSettings(t *testing.T) {
	t.Parallel()
	env := map[string]string{"PORTICO_CHECKS_MAX_ANNOTATIONS": "120", "PORTICO_CHECKS_IN_PROGRESS_AFTER": "10s"}
	cfg, err := Load("", func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Checks.MaxAnnotations != 120 || cfg.Checks.InProgressAfter != 10*time.Second {
		t.Errorf("checks %+v", cfg.Checks)
	}
	for name, bad := range map[string]string{"PORTICO_CHECKS_MAX_ANNOTATIONS": "-3", "PORTICO_CHECKS_IN_PROGRESS_AFTER": "later"} {
		env := map[string]string{name: bad}
		if _, err := Load("", func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: err = %v", name, bad, err)
		}
	}
	if err := (Checks{MaxAnnotations: -1}).validate(); err == nil || !strings.Contains(err.Error(), "checks.max_annotations") {
		t.Errorf("a negative max_annotations: err = %v", err)
	}
}
