package config

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Environment variables of the policy section. `portico validate` and
// `portico policy test` read them too: the CLI has no configuration file.
const (
	EnvPolicyAllowBuiltins = "PORTICO_POLICY_ALLOW_BUILTINS" // http.send,net.lookup_ip_addr
	EnvPolicyEvalTimeout   = "PORTICO_POLICY_EVAL_TIMEOUT"   // 2s
	EnvPolicySeverity      = "PORTICO_POLICY_SEVERITY"       // rule=error,rule=off
)

// Policy tunes how the organisation's Rego policies run. Zero values
// take the policy engine's defaults.
type Policy struct {
	// AllowBuiltins names built-ins that reach outside the process
	// (http.send, net.lookup_ip_addr, opa.runtime, json.match_schema,
	// json.verify_schema), which policies may not call otherwise.
	AllowBuiltins []string `yaml:"allow_builtins"`
	// EvalTimeout bounds the evaluation of one document; a policy still
	// running is stopped and reported as a policy/error finding.
	// Zero: the engine's default, 2 s.
	EvalTimeout time.Duration `yaml:"eval_timeout"`
	// Severity sets the severity of findings by rule id: error, warning
	// or off. It overrides the policies' own deny/warn and their
	// data.portico.severity table.
	Severity map[string]string `yaml:"severity"`
}

// PolicyFromEnv reads the policy settings from the environment alone.
func PolicyFromEnv(getenv func(string) string) (Policy, error) {
	var cfg Config
	if err := envPolicy(&cfg, getenv); err != nil {
		return Policy{}, err
	}
	return cfg.Policy, cfg.Policy.validate()
}

func envPolicy(cfg *Config, getenv func(string) string) error {
	var errs []error
	if v := getenv(EnvPolicyAllowBuiltins); v != "" {
		cfg.Policy.AllowBuiltins = splitList(v)
	}
	if v := getenv(EnvPolicyEvalTimeout); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a positive duration such as 2s", EnvPolicyEvalTimeout, v))
		}
		cfg.Policy.EvalTimeout = d
	}
	if v := getenv(EnvPolicySeverity); v != "" {
		sev := map[string]string{}
		for _, kv := range splitList(v) {
			rule, level, ok := strings.Cut(kv, "=")
			if !ok || strings.TrimSpace(rule) == "" {
				errs = append(errs, fmt.Errorf("%s: %q is not rule=severity", EnvPolicySeverity, kv))
				continue
			}
			sev[strings.TrimSpace(rule)] = strings.TrimSpace(level)
		}
		cfg.Policy.Severity = sev
	}
	return errors.Join(errs...)
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(v string) []string {
	var out []string
	for s := range strings.SplitSeq(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (p Policy) validate() error {
	var errs []error
	if p.EvalTimeout < 0 {
		errs = append(errs, fmt.Errorf("policy.eval_timeout: %s is negative", p.EvalTimeout))
	}
	for _, rule := range slices.Sorted(maps.Keys(p.Severity)) {
		switch p.Severity[rule] {
		case "error", "warning", "off":
		default:
			errs = append(errs, fmt.Errorf("policy.severity: %q for %s is not error, warning or off", p.Severity[rule], rule))
		}
	}
	return errors.Join(errs...)
}
