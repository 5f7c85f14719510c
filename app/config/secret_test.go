package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// secretConfig sets every Secret field to a value whose pieces a leak
// would show.
func secretConfig() (*Config, []string) {
	cfg := Default()
	cfg.Database.URL = "postgres://u:db-password-1@db/x"
	cfg.GitHub.PrivateKey = Secret(testKey())
	cfg.GitHub.WebhookSecret = "webhook-secret-2"
	keyLine := strings.Split(testKey(), "\n")[1]
	return cfg, []string{"db-password-1", "webhook-secret-2", keyLine}
}

func TestSecretsNeverPrinted(t *testing.T) {
	t.Parallel()
	cfg, secrets := secretConfig()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	logger.Info("config", "cfg", cfg, "value", *cfg, "github", cfg.GitHub)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "cfg", cfg, "secret", cfg.GitHub.WebhookSecret)
	jsonOut, _ := json.Marshal(cfg)
	yamlOut, _ := yaml.Marshal(cfg)
	outputs := map[string]string{
		"fmt":       fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg),
		"fmt value": fmt.Sprintf("%v %+v %#v", *cfg, *cfg, *cfg),
		"verbs":     fmt.Sprintf("%s %q %x %X %d %10s %#v", cfg.GitHub.WebhookSecret, cfg.GitHub.WebhookSecret, cfg.GitHub.WebhookSecret, cfg.GitHub.WebhookSecret, cfg.GitHub.WebhookSecret, cfg.GitHub.WebhookSecret, cfg.GitHub.WebhookSecret),
		"error":     fmt.Errorf("wrapped: %v", cfg).Error(),
		"slog":      logs.String(),
		"json":      string(jsonOut),
		"yaml":      string(yamlOut),
	}
	for name, out := range outputs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s output contains secret %q:\n%s", name, s, out)
			}
		}
		if !strings.Contains(out, redacted) {
			t.Errorf("%s output does not say %s:\n%s", name, redacted, out)
		}
	}
}

func TestSecretForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    Secret
		want string
	}{{"", ""}, {"x", redacted}}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
		if got := fmt.Sprintf("%#v", tt.s); got != fmt.Sprintf("%q", tt.want) {
			t.Errorf("%%#v = %s, want %q", got, tt.want)
		}
		if got, _ := json.Marshal(tt.s); string(got) != fmt.Sprintf("%q", tt.want) {
			t.Errorf("json = %s, want %q", got, tt.want)
		}
		if got := tt.s.LogValue().String(); got != tt.want {
			t.Errorf("LogValue = %q, want %q", got, tt.want)
		}
	}
	if got := Secret("x").Reveal(); got != "x" {
		t.Errorf("Reveal() = %q", got)
	}
}

func TestSecretDecodes(t *testing.T) {
	t.Parallel()
	var v struct {
		S Secret `yaml:"s" json:"s"`
	}
	if err := yaml.Unmarshal([]byte("s: abc\n"), &v); err != nil || v.S != "abc" {
		t.Errorf("yaml decode: %q, %v", v.S.Reveal(), err)
	}
	if err := json.Unmarshal([]byte(`{"s":"def"}`), &v); err != nil || v.S != "def" {
		t.Errorf("json decode: %q, %v", v.S.Reveal(), err)
	}
}

func TestLoadErrorsHideSecrets(t *testing.T) {
	t.Parallel()
	_, err := Load("", env(map[string]string{
		EnvDatabaseURL: "mysql://u:db-password-1@x", EnvWebhookSecret: "webhook-secret-2",
		EnvGitHubAppID: "1", EnvGitHubPrivateKey: "-----BEGIN X-----\nprivate-bytes-3\n-----END X-----",
	}))
	if err == nil {
		t.Fatal("want an error")
	}
	for _, s := range []string{"db-password-1", "webhook-secret-2", "private-bytes-3"} {
		if strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, err), s) {
			t.Errorf("error %q leaks %q", err, s)
		}
	}
}
