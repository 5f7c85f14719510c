package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

var (
	perMinute100 = Limit{Requests: 100, Per: time.Minute}
	perMinute80  = Limit{Requests: 80, Per: time.Minute}
	perHour500   = Limit{Requests: 500, Per: time.Hour}
)

func TestWriteLimitsYAML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml string
		want       WriteLimits
		err        string // "" means no error
	}{
		{"left out", "github:\n  url: https://api.github.com\n", WriteLimits{}, ""},
		{"empty", "github:\n  write_limits:\n", WriteLimits{}, ""},
		{"github.com", "github:\n  write_limits: github.com\n", WriteLimits{Base: WriteLimitsGitHub}, ""},
		{"none", "github:\n  write_limits: none\n", WriteLimits{Base: WriteLimitsNone}, ""},
		{"both kinds", "github:\n  write_limits:\n    checks: [100/1m]\n    content: [80/1m, 500/1h]\n",
			WriteLimits{Checks: KindLimits{true, []Limit{perMinute100}}, Content: KindLimits{true, []Limit{perMinute80, perHour500}}}, ""},
		{"one kind, block list", "github:\n  write_limits:\n    content:\n      - 80/1m\n      - 500/60m\n",
			WriteLimits{Content: KindLimits{true, []Limit{perMinute80, perHour500}}}, ""},
		{"a kind unpaced", "github:\n  write_limits:\n    checks: []\n", WriteLimits{Checks: KindLimits{Set: true}}, ""},
		{"unknown word", "github:\n  write_limits: fast\n", WriteLimits{}, `line 2: github.write_limits: "fast" is not github.com, none`},
		{"unknown kind", "github:\n  write_limits:\n    comments: [1/1m]\n", WriteLimits{}, "line 3: unknown key comments in github.write_limits"},
		{"not a list", "github:\n  write_limits:\n    checks: 100/1m\n", WriteLimits{}, "line 3: github.write_limits.checks: want a list"},
		{"a list of kinds", "github:\n  write_limits: [100/1m]\n", WriteLimits{}, "line 2: github.write_limits: want"},
		{"zero requests", "github:\n  write_limits:\n    checks: [0/1m]\n", WriteLimits{}, `github.write_limits.checks: "0/1m" is not N/DURATION`},
		{"negative requests", "github:\n  write_limits:\n    content: [-5/1m]\n", WriteLimits{}, "github.write_limits.content:"},
		{"no duration", "github:\n  write_limits:\n    checks: [100]\n", WriteLimits{}, `"100" is not N/DURATION`},
		{"bad duration", "github:\n  write_limits:\n    checks: [100/fortnight]\n", WriteLimits{}, "github.write_limits.checks:"},
		{"zero duration", "github:\n  write_limits:\n    checks: [100/0s]\n", WriteLimits{}, "github.write_limits.checks:"},
		{"fraction", "github:\n  write_limits:\n    content: [1.5/1m]\n", WriteLimits{}, "github.write_limits.content:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfg, err := Load(writeFile(t, dir, "portico.yaml", tt.yaml), env(map[string]string{EnvDataDir: dir}))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Load error = %v, want it to contain %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.GitHub.WriteLimits; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("write_limits = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestWriteLimitsEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value string
		want  WriteLimits
		err   string
	}{
		{"github.com", WriteLimits{Base: WriteLimitsGitHub}, ""},
		{"none", WriteLimits{Base: WriteLimitsNone}, ""},
		{"checks=100/1m;content=80/1m,500/1h",
			WriteLimits{Checks: KindLimits{true, []Limit{perMinute100}}, Content: KindLimits{true, []Limit{perMinute80, perHour500}}}, ""},
		{" content = 80/1m , 500/1h ;", WriteLimits{Content: KindLimits{true, []Limit{perMinute80, perHour500}}}, ""},
		{"checks=", WriteLimits{Checks: KindLimits{Set: true}}, ""},
		{"fast", WriteLimits{}, `PORTICO_GITHUB_WRITE_LIMITS: "fast" is not`},
		{"comments=1/1m", WriteLimits{}, "PORTICO_GITHUB_WRITE_LIMITS"},
		{"checks=1/1m;checks=2/1m", WriteLimits{}, "each once"},
		{"checks=100/1m,0/1h", WriteLimits{}, `PORTICO_GITHUB_WRITE_LIMITS: checks: "0/1h" is not N/DURATION`},
		{"content=80 per minute", WriteLimits{}, "PORTICO_GITHUB_WRITE_LIMITS: content:"},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			// The variable replaces what the file says.
			path := writeFile(t, dir, "portico.yaml", "github:\n  write_limits: none\n")
			cfg, err := Load(path, env(map[string]string{EnvDataDir: dir, EnvGitHubWriteLimits: tt.value}))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Load error = %v, want it to contain %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.GitHub.WriteLimits; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("write_limits = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// FuzzWriteLimitsEnv: whatever the variable holds, parsing does not
// panic, and what it accepts is valid.
func FuzzWriteLimitsEnv(f *testing.F) {
	for _, seed := range []string{"github.com", "none", "checks=100/1m;content=80/1m,500/1h", "checks=", "content=1/1ns;;", "checks=9999999999999999999/1m"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var w WriteLimits
		if err := w.Set(s); err == nil {
			if verr := w.validate(); verr != nil {
				t.Errorf("accepted %q as %+v, which is invalid: %v", s, w, verr)
			}
		}
	})
}

func TestWriteLimitsSet(t *testing.T) {
	t.Parallel()
	w := WriteLimits{Base: WriteLimitsNone}
	if err := w.Set("checks=0/1m"); err == nil || w.Base != WriteLimitsNone {
		t.Errorf("Set of a bad value: %v, left %+v; want an error and no change", err, w)
	}
	if err := w.Set(""); err != nil || !reflect.DeepEqual(w, WriteLimits{}) {
		t.Errorf("Set(\"\") = %v, left %+v; want the default", err, w)
	}
}
