package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Environment variables that override portico.yaml. An empty value counts
// as unset.
const (
	EnvListen                = "PORTICO_LISTEN"
	EnvMetricsListen         = "PORTICO_METRICS_LISTEN"
	EnvPublicURL             = "PORTICO_PUBLIC_URL"
	EnvDocsURL               = "PORTICO_DOCS_URL"
	EnvDataDir               = "PORTICO_DATA_DIR"
	EnvLogLevel              = "PORTICO_LOG_LEVEL"
	EnvDatabaseURL           = "PORTICO_DATABASE_URL"
	EnvGitHubURL             = "PORTICO_GITHUB_URL"
	EnvGitHubAppID           = "PORTICO_GITHUB_APP_ID"
	EnvGitHubPrivateKey      = "PORTICO_GITHUB_PRIVATE_KEY"
	EnvGitHubPrivateKeyFile  = "PORTICO_GITHUB_PRIVATE_KEY_FILE"
	EnvWebhookSecret         = "PORTICO_WEBHOOK_SECRET"
	EnvGitHubWriteLimits     = "PORTICO_GITHUB_WRITE_LIMITS"
	EnvPlatformRepository    = "PORTICO_PLATFORM_REPOSITORY"
	EnvPlatformDir           = "PORTICO_PLATFORM_DIR"
	EnvCatalogRepository     = "PORTICO_CATALOG_REPOSITORY"
	EnvInsecureSkipSignature = "PORTICO_INSECURE_SKIP_SIGNATURE"
	EnvJobTimeout            = "PORTICO_JOB_TIMEOUT"
	EnvJobRescueAfter        = "PORTICO_JOB_RESCUE_AFTER"
	EnvJobKeyLease           = "PORTICO_JOB_KEY_LEASE"
	EnvChecksMaxAnnotations  = "PORTICO_CHECKS_MAX_ANNOTATIONS"
	EnvChecksInProgressAfter = "PORTICO_CHECKS_IN_PROGRESS_AFTER"
)

func applyEnv(cfg *Config, getenv func(string) string) error {
	if getenv == nil {
		return nil
	}
	strs := map[string]*string{
		EnvListen:            &cfg.Listen,
		EnvMetricsListen:     &cfg.MetricsListen,
		EnvPublicURL:         &cfg.PublicURL,
		EnvDocsURL:           &cfg.DocsURL,
		EnvDataDir:           &cfg.DataDir,
		EnvLogLevel:          &cfg.LogLevel,
		EnvGitHubURL:         &cfg.GitHub.URL,
		EnvCatalogRepository: &cfg.Catalog.Repository,
	}
	for name, field := range strs {
		if v := getenv(name); v != "" {
			*field = v
		}
	}
	secrets := map[string]*Secret{
		EnvDatabaseURL:   &cfg.Database.URL,
		EnvWebhookSecret: &cfg.GitHub.WebhookSecret,
	}
	for name, field := range secrets {
		if v := getenv(name); v != "" {
			*field = Secret(v)
		}
	}
	return errors.Join(envAppID(cfg, getenv), envPrivateKey(cfg, getenv),
		envPlatform(cfg, getenv), envInsecure(cfg, getenv), envJobs(cfg, getenv),
		envWriteLimits(cfg, getenv), envChecks(cfg, getenv), envPolicy(cfg, getenv), envCatalog(cfg, getenv),
		envScorecards(cfg, getenv), envTemplates(cfg, getenv),
		envTerraform(cfg, getenv))
}

func envChecks(cfg *Config, getenv func(string) string) error {
	var errs []error
	if v := getenv(EnvChecksMaxAnnotations); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a positive integer", EnvChecksMaxAnnotations, v))
		}
		cfg.Checks.MaxAnnotations = n
	}
	if v := getenv(EnvChecksInProgressAfter); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a positive duration such as 3s", EnvChecksInProgressAfter, v))
		}
		cfg.Checks.InProgressAfter = d
	}
	return errors.Join(errs...)
}

func envJobs(cfg *Config, getenv func(string) string) error {
	durations := map[string]*time.Duration{
		EnvJobTimeout:     &cfg.Jobs.Timeout,
		EnvJobRescueAfter: &cfg.Jobs.RescueAfter,
		EnvJobKeyLease:    &cfg.Jobs.KeyLease,
	}
	var errs []error
	for name, field := range durations {
		v := getenv(name)
		if v == "" {
			continue
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a positive duration such as 90s", name, v))
			continue
		}
		*field = d
	}
	return errors.Join(errs...)
}

func envAppID(cfg *Config, getenv func(string) string) error {
	v := getenv(EnvGitHubAppID)
	if v == "" {
		return nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("%s: %q is not a positive integer", EnvGitHubAppID, v)
	}
	cfg.GitHub.AppID = id
	return nil
}

// envPrivateKey lets either variable replace whatever portico.yaml said
// about the key, so an operator never has to edit the file to switch.
func envPrivateKey(cfg *Config, getenv func(string) string) error {
	key, file := getenv(EnvGitHubPrivateKey), getenv(EnvGitHubPrivateKeyFile)
	switch {
	case key != "" && file != "":
		return fmt.Errorf("set %s or %s, not both", EnvGitHubPrivateKey, EnvGitHubPrivateKeyFile)
	case key != "":
		cfg.GitHub.PrivateKey, cfg.GitHub.PrivateKeyFile = Secret(unescapeNewlines(key)), ""
	case file != "":
		cfg.GitHub.PrivateKey, cfg.GitHub.PrivateKeyFile = "", file
	}
	return nil
}

// unescapeNewlines accepts a PEM pasted into a single-line variable with
// literal \n sequences, as many secret stores and .env files hold it.
func unescapeNewlines(pem string) string {
	if strings.Contains(pem, "\n") {
		return pem
	}
	return strings.ReplaceAll(pem, `\n`, "\n")
}

func envPlatform(cfg *Config, getenv func(string) string) error {
	repo, dir := getenv(EnvPlatformRepository), getenv(EnvPlatformDir)
	switch {
	case repo != "" && dir != "":
		return fmt.Errorf("set %s or %s, not both", EnvPlatformRepository, EnvPlatformDir)
	case repo != "":
		cfg.Platform = Platform{Repository: repo}
	case dir != "":
		cfg.Platform = Platform{Dir: dir}
	}
	return nil
}

func envInsecure(cfg *Config, getenv func(string) string) error {
	v := getenv(EnvInsecureSkipSignature)
	if v == "" {
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("%s: %q is not true or false", EnvInsecureSkipSignature, v)
	}
	cfg.InsecureSkipSignature = b
	return nil
}
