package config

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Environment overrides of terraform.
const (
	EnvTerraformBinary  = "PORTICO_TERRAFORM_BINARY"
	EnvTerraformEnv     = "PORTICO_TERRAFORM_ENV" // comma-separated names
	EnvTerraformTimeout = "PORTICO_TERRAFORM_TIMEOUT"
	EnvTerraformGrace   = "PORTICO_TERRAFORM_GRACE"
)

// Terraform configures the runner of workspace modules (docs/terraform.md).
// Zero values take the runner's defaults.
type Terraform struct {
	// Binary is "terraform", "tofu" or a path; empty: terraform, then
	// tofu, on PATH or in $(go env GOPATH)/bin.
	Binary string `yaml:"binary"`
	// Env names environment variables of portico's that Terraform may
	// see (a cloud's credentials); it sees no other. PORTICO_* and
	// tokens are refused.
	Env []string `yaml:"env"`
	// Timeout bounds one run (default 30m); then Terraform is
	// interrupted, and killed after Grace (default 30s).
	Timeout time.Duration `yaml:"timeout"`
	Grace   time.Duration `yaml:"grace"`
}

// tokenNames are the environment's GitHub and Actions tokens.
var tokenNames = map[string]bool{"GITHUB_TOKEN": true, "GH_TOKEN": true, "GH_ENTERPRISE_TOKEN": true,
	"GITHUB_ENTERPRISE_TOKEN": true, "ACTIONS_RUNTIME_TOKEN": true, "ACTIONS_ID_TOKEN_REQUEST_TOKEN": true}

var envVarName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (t Terraform) validate() error {
	var errs []error
	if t.Timeout < 0 || t.Grace < 0 {
		errs = append(errs, errors.New("terraform: timeout and grace must not be negative"))
	}
	for _, n := range t.Env {
		up := strings.ToUpper(n)
		switch {
		case !envVarName.MatchString(n):
			errs = append(errs, fmt.Errorf("terraform.env: %q is not an environment variable name", n))
		case strings.HasPrefix(up, "PORTICO_") || tokenNames[up]:
			errs = append(errs, fmt.Errorf("terraform.env: %s is portico's own or a token and never reaches Terraform", n))
		}
	}
	return errors.Join(errs...)
}

func envTerraform(cfg *Config, getenv func(string) string) error {
	var errs []error
	if v := getenv(EnvTerraformBinary); v != "" {
		cfg.Terraform.Binary = v
	}
	if v := getenv(EnvTerraformEnv); v != "" {
		cfg.Terraform.Env = nil
		for _, n := range strings.Split(v, ",") {
			if n = strings.TrimSpace(n); n != "" {
				cfg.Terraform.Env = append(cfg.Terraform.Env, n)
			}
		}
	}
	for name, field := range map[string]*time.Duration{EnvTerraformTimeout: &cfg.Terraform.Timeout, EnvTerraformGrace: &cfg.Terraform.Grace} {
		if v := getenv(name); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a duration", name, v))
			}
			*field = d
		}
	}
	return errors.Join(errs...)
}
