package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestPolicySection(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeFile(t, dir, "portico.yaml", `data_dir: `+dir+`
policy:
  allow_builtins: [http.send]
  eval_timeout: 500ms
  severity:
    portico/production-system: error
    portico/component-tags: off
`)
	cfg, err := Load(path, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := Policy{
		AllowBuiltins: []string{"http.send"},
		EvalTimeout:   500 * time.Millisecond,
		Severity:      map[string]string{"portico/production-system": "error", "portico/component-tags": "off"},
	}
	if !reflect.DeepEqual(cfg.Policy, want) {
		t.Errorf("policy = %+v, want %+v", cfg.Policy, want)
	}
}

func TestPolicyFromEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want Policy
		err  string
	}{
		{"nothing", nil, Policy{}, ""},
		{"all", map[string]string{
			EnvPolicyAllowBuiltins: " http.send, ,opa.runtime",
			EnvPolicyEvalTimeout:   "3s",
			EnvPolicySeverity:      "portico/production-system=error, acme/x = off",
		}, Policy{
			AllowBuiltins: []string{"http.send", "opa.runtime"},
			EvalTimeout:   3 * time.Second,
			Severity:      map[string]string{"portico/production-system": "error", "acme/x": "off"},
		}, ""},
		{"bad timeout", map[string]string{EnvPolicyEvalTimeout: "soon"}, Policy{}, EnvPolicyEvalTimeout},
		{"bad pair", map[string]string{EnvPolicySeverity: "portico/x"}, Policy{}, `"portico/x" is not rule=severity`},
		{"bad severity", map[string]string{EnvPolicySeverity: "portico/x=fatal"}, Policy{}, `"fatal" for portico/x is not error, warning or off`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := PolicyFromEnv(env(tt.env))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("PolicyFromEnv = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}
