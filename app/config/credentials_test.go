package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func savedApp() *AppCredentials {
	return &AppCredentials{
		AppID: 99, Slug: "portico-acme", Name: "portico acme", Owner: "acme",
		HTMLURL: "https://github.com/apps/portico-acme", ClientID: "Iv1.abc",
		ClientSecret: "client-secret", WebhookSecret: "saved-webhook-secret",
		PrivateKey: Secret(testKey()), GitHubURL: "https://api.github.com",
	}
}

func TestCredentialsRoundTrip(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	want := savedApp()
	if err := SaveCredentials(dir, want); err != nil {
		t.Fatal(err)
	}
	if err := SaveCredentials(dir, want); err != nil { // overwriting works too
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("data dir holds %d entries, want app.json and app.pem only", len(entries))
	}
	for _, name := range []string{CredentialsFile, PrivateKeyFile} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %04o, want 0600", name, info.Mode().Perm())
		}
	}
	data, _ := os.ReadFile(filepath.Join(dir, CredentialsFile))
	if !strings.Contains(string(data), `"webhook_secret": "saved-webhook-secret"`) {
		t.Errorf("app.json holds the redacted form instead of the secret:\n%s", data)
	}
	got, err := ReadCredentials(dir)
	if err != nil {
		t.Fatal(err)
	}
	if *got != *want {
		t.Errorf("ReadCredentials = %+v, want %+v", got, want)
	}
}

func TestSaveCredentialsRefusesIncomplete(t *testing.T) {
	t.Parallel()
	if err := SaveCredentials(t.TempDir(), &AppCredentials{AppID: 1, GitHubURL: "https://api.github.com"}); err == nil {
		t.Error("want an error without a private key")
	}
	noGitHub := savedApp()
	noGitHub.GitHubURL = ""
	if err := SaveCredentials(t.TempDir(), noGitHub); err == nil {
		t.Error("want an error without the GitHub the App belongs to")
	}
}

func TestReadCredentials(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if got, err := ReadCredentials(dir); got != nil || err != nil {
		t.Errorf("empty dir: %v, %v; want nil, nil", got, err)
	}
	writeFile(t, dir, CredentialsFile, `{"id": 1}`)
	if _, err := ReadCredentials(dir); err == nil {
		t.Error("app.json without app.pem: want an error")
	}
	writeFile(t, dir, CredentialsFile, `{"id": `)
	if _, err := ReadCredentials(dir); err == nil {
		t.Error("broken app.json: want an error")
	}
}

func TestLoadMergesSavedCredentials(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		env        map[string]string
		wantID     int64
		wantSecret Secret
	}{
		{"nothing configured: all saved", nil, 99, "saved-webhook-secret"},
		{"same app: fills gaps", map[string]string{EnvGitHubAppID: "99", EnvWebhookSecret: "env-secret"}, 99, "env-secret"},
		{"other app: ignored", map[string]string{EnvGitHubAppID: "5", EnvGitHubPrivateKey: testKey(), EnvWebhookSecret: "s5"}, 5, "s5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := SaveCredentials(dir, savedApp()); err != nil {
				t.Fatal(err)
			}
			e := map[string]string{EnvDataDir: dir}
			for k, v := range tt.env {
				e[k] = v
			}
			cfg, err := Load("", env(e))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.GitHub.AppID != tt.wantID || cfg.GitHub.WebhookSecret != tt.wantSecret || !cfg.AppConfigured() {
				t.Errorf("got app %d secret %q, want %d %q", cfg.GitHub.AppID, cfg.GitHub.WebhookSecret.Reveal(), tt.wantID, tt.wantSecret.Reveal())
			}
		})
	}
}

func TestLoadKeyWithoutIDIgnoresSaved(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := SaveCredentials(dir, savedApp()); err != nil {
		t.Fatal(err)
	}
	_, err := Load("", env(map[string]string{EnvDataDir: dir, EnvGitHubPrivateKey: testKey()}))
	if err == nil || !strings.Contains(err.Error(), "no app_id") {
		t.Errorf("Load = %v, want the missing app id reported rather than the saved one paired with this key", err)
	}
}

// TestLoadRefusesAnotherGitHubsApp: an App id means something on one
// GitHub only, so credentials saved against a fake GitHub (or another
// GitHub Enterprise Server) must not be used against github.url; the
// error names the file and both ways out.
func TestLoadRefusesAnotherGitHubsApp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, savedURL, savedPage, githubURL string
		wantErr                              bool
	}{
		{"same GitHub", "https://api.github.com", "https://github.com/apps/portico-acme", "https://api.github.com", false},
		{"trailing slash and case", "https://API.github.com/", "", "https://api.github.com", false},
		{"GHES", "https://ghe.example/api/v3", "https://ghe.example/apps/portico", "https://ghe.example/api/v3/", false},
		{"fake saved, github.com configured", "http://127.0.0.1:3000", "http://127.0.0.1:3000/apps/portico", "https://api.github.com", true},
		{"github.com saved, fake configured", "https://api.github.com", "https://github.com/apps/portico-acme", "http://127.0.0.1:3000", true},
		{"another port", "http://127.0.0.1:3000", "", "http://127.0.0.1:3001", true},
		{"GHES path", "https://ghe.example/api/v3", "", "https://ghe.example", true},
		{"older file: page on github.com", "", "https://github.com/apps/portico-acme", "https://api.github.com", false},
		{"older file: page on GHES", "", "https://ghe.example/apps/portico", "https://ghe.example/api/v3", false},
		{"older file: fake's page", "", "http://127.0.0.1:3000/apps/portico", "https://api.github.com", true},
		{"older file: nothing to tell", "", "", "https://api.github.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			app := savedApp()
			app.GitHubURL, app.HTMLURL = "x", tt.savedPage
			if err := SaveCredentials(dir, app); err != nil {
				t.Fatal(err)
			}
			rewriteGitHubURL(t, dir, tt.savedURL)
			_, err := Load("", env(map[string]string{EnvDataDir: dir, EnvGitHubURL: tt.githubURL}))
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Load accepted another GitHub's App")
			}
			for _, want := range []string{filepath.Join(dir, CredentialsFile), filepath.Join(dir, PrivateKeyFile), "delete", EnvGitHubURL, tt.githubURL} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
}

// TestLoadIgnoresAnotherGitHubsAppWhenNotUsed: credentials of another
// App than the configured one are not read, wherever they come from.
func TestLoadIgnoresAnotherGitHubsAppWhenNotUsed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	app := savedApp()
	app.GitHubURL = "http://127.0.0.1:3000"
	if err := SaveCredentials(dir, app); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load("", env(map[string]string{EnvDataDir: dir, EnvGitHubAppID: "5", EnvGitHubPrivateKey: testKey(), EnvWebhookSecret: "s"}))
	if err != nil || cfg.GitHub.AppID != 5 {
		t.Errorf("Load = %v, %v; want the configured App 5", cfg, err)
	}
}

// rewriteGitHubURL sets app.json's github_url as a file written by an
// older portico (empty: no key at all) or by hand would have it.
func rewriteGitHubURL(t *testing.T, dir, u string) {
	t.Helper()
	path := filepath.Join(dir, CredentialsFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	repl := `"github_url": "` + u + `"`
	if u == "" {
		repl = `"github_url": ""`
	}
	data = []byte(strings.Replace(string(data), `"github_url": "x"`, repl, 1))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
