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
		PrivateKey: Secret(testKey()),
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
	if err := SaveCredentials(t.TempDir(), &AppCredentials{AppID: 1}); err == nil {
		t.Error("want an error without a private key")
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
