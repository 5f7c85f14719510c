package config

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// repoName is GitHub's owner/name: an owner login and a repository name.
var repoName = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$`)

// Validate reports every problem in c at once, one per line. Messages name
// the key and never quote a secret.
func (c *Config) Validate() error {
	return errors.Join(
		c.validateServer(),
		validateDatabaseURL(c.Database.URL),
		c.validateGitHub(),
		c.validatePlatform(),
		c.validateCatalog(),
		c.Jobs.validate(),
		c.Checks.validate(),
		c.Policy.validate(),
		c.Scorecards.validate(),
		c.Templates.validate(),
		c.Terraform.validate(),
	)
}

func (c Checks) validate() error {
	var errs []error
	if c.MaxAnnotations < 0 {
		errs = append(errs, fmt.Errorf("checks.max_annotations: %d is negative", c.MaxAnnotations))
	}
	if c.InProgressAfter < 0 {
		errs = append(errs, fmt.Errorf("checks.in_progress_after: %s is negative", c.InProgressAfter))
	}
	return errors.Join(errs...)
}

func (j Jobs) validate() error {
	var errs []error
	if j.Timeout < 0 || j.RescueAfter < 0 || j.KeyLease < 0 {
		errs = append(errs, errors.New("jobs: durations must not be negative"))
	}
	if j.RescueAfter > 0 && j.RescueAfter <= j.Timeout {
		errs = append(errs, fmt.Errorf("jobs.rescue_after (%s) must exceed jobs.timeout (%s), or running jobs are retried twice", j.RescueAfter, j.Timeout))
	}
	return errors.Join(errs...)
}

func (c *Config) validateServer() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("listen: %q is not host:port", c.Listen))
	}
	if c.MetricsListen != "" {
		if _, _, err := net.SplitHostPort(c.MetricsListen); err != nil {
			errs = append(errs, fmt.Errorf("metrics_listen: %q is not host:port", c.MetricsListen))
		} else if c.MetricsListen == c.Listen {
			errs = append(errs, fmt.Errorf("metrics_listen: %q is listen's address; give another or leave it empty", c.MetricsListen))
		}
	}
	if c.PublicURL != "" {
		if err := checkHTTPURL(c.PublicURL); err != nil {
			errs = append(errs, fmt.Errorf("public_url: %w", err))
		}
	}
	if c.DocsURL != "" {
		if err := checkHTTPURL(c.DocsURL); err != nil {
			errs = append(errs, fmt.Errorf("docs_url: %w", err))
		}
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("data_dir: must not be empty"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log_level: %q is not debug, info, warn or error", c.LogLevel))
	}
	return errors.Join(errs...)
}

// validateDatabaseURL never echoes the URL, which may carry a password;
// url.Parse's own errors would quote it.
func validateDatabaseURL(s Secret) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s.Reveal())
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return errors.New("database.url: must be a postgres:// or postgresql:// URL (empty for SQLite in data_dir)")
	}
	return nil
}

func (c *Config) validateGitHub() error {
	g := c.GitHub
	var errs []error
	if err := checkHTTPURL(g.URL); err != nil {
		errs = append(errs, fmt.Errorf("github.url: %w", err))
	}
	switch {
	case g.AppID < 0:
		errs = append(errs, errors.New("github.app_id: must be positive"))
	case g.AppID != 0 && g.PrivateKey == "":
		errs = append(errs, errors.New("github: app_id is set but no private key (private_key_file or "+EnvGitHubPrivateKeyFile+")"))
	case g.AppID == 0 && g.PrivateKey != "":
		errs = append(errs, errors.New("github: a private key is set but no app_id ("+EnvGitHubAppID+")"))
	}
	if g.PrivateKey != "" {
		if err := checkPrivateKey(g.PrivateKey); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, g.WriteLimits.validate())
	if c.AppConfigured() && g.WebhookSecret == "" && !c.InsecureSkipSignature {
		errs = append(errs, errors.New("github.webhook_secret: required once the App is configured ("+EnvWebhookSecret+"); insecure_skip_signature is for development only"))
	}
	return errors.Join(errs...)
}

// checkPrivateKey parses the key so that a wrong file fails at start-up
// rather than at the first webhook; the error never contains key material.
func checkPrivateKey(key Secret) error {
	block, _ := pem.Decode([]byte(key.Reveal()))
	if block == nil {
		return errors.New("github: private key is not PEM")
	}
	if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return nil
	}
	if _, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		return nil
	}
	return fmt.Errorf("github: private key PEM block %q is not an RSA private key", block.Type)
}

func (c *Config) validatePlatform() error {
	p := c.Platform
	switch {
	case p.Repository != "" && p.Dir != "":
		return errors.New("platform: set repository or dir, not both")
	case p.Repository != "" && !repoName.MatchString(p.Repository):
		return fmt.Errorf("platform.repository: %q is not owner/name", p.Repository)
	}
	return nil
}

func (c *Config) validateCatalog() error {
	if r := c.Catalog.Repository; r != "" && !repoName.MatchString(r) {
		return fmt.Errorf("catalog.repository: %q is not owner/name", r)
	}
	return nil
}

func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q must not have a query or fragment", s)
	}
	return nil
}

// WebURL derives GitHub's web address from its REST API base, for links
// and the App manifest flow: https://api.github.com -> https://github.com,
// https://api.SUB.ghe.com -> https://SUB.ghe.com, https://HOST/api/v3 ->
// https://HOST. Any other base (a fake GitHub in tests) serves both and is
// returned unchanged, without a trailing slash.
func WebURL(restBase string) (string, error) {
	u, err := url.Parse(restBase)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("github url: %q is not an absolute URL", restBase)
	}
	path := strings.TrimSuffix(u.Path, "/")
	switch {
	case strings.HasPrefix(u.Host, "api."):
		u.Host, path = strings.TrimPrefix(u.Host, "api."), ""
	case strings.HasSuffix(path, "/api/v3"):
		path = strings.TrimSuffix(path, "/api/v3")
	}
	u.Path, u.RawPath = path, ""
	return u.String(), nil
}
