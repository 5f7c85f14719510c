package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Words github.write_limits takes in place of a map of kinds.
const (
	// WriteLimitsGitHub is github.com's limits whatever github.url says:
	// for a GitHub Enterprise Server that enforces rate limits, or a test
	// against a fake GitHub.
	WriteLimitsGitHub = "github.com"
	// WriteLimitsNone turns the pacing of writes off.
	WriteLimitsNone = "none"
)

// Limit is Requests in any window of time Per, written N/DURATION
// (100/1m).
type Limit struct {
	Requests int
	Per      time.Duration
}

// WriteLimits is github.write_limits: how many writes of each kind one
// installation may make. The zero value, the key left out, is the
// default of github.url: github.com's limits on github.com, none
// elsewhere.
type WriteLimits struct {
	// Base is what the kinds below start from: "" for github.url's
	// default, WriteLimitsGitHub or WriteLimitsNone.
	Base string
	// Checks (check runs, check suites, commit statuses) and Content
	// (every other write) replace Base's limits of their kind when set.
	Checks, Content KindLimits
}

// KindLimits is one kind of write's limits.
type KindLimits struct {
	// Set is false when the kind was left out: Base's limits apply.
	Set bool
	// Limits all hold at once; none (with Set) leaves the kind unpaced.
	Limits []Limit
}

// kind returns the limits of the kind named name, nil for no such kind.
func (w *WriteLimits) kind(name string) *KindLimits {
	switch name {
	case "checks":
		return &w.Checks
	case "content":
		return &w.Content
	}
	return nil
}

// UnmarshalYAML reads a word (github.com, none) or a map of kinds to
// lists of N/DURATION, refusing unknown kinds as strictly as the rest of
// the file refuses unknown keys.
func (w *WriteLimits) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		base, ok := writeLimitsWord(n.Value)
		if !ok {
			return fmt.Errorf("line %d: github.write_limits: %q is not %s, %s or a map of checks and content", n.Line, n.Value, WriteLimitsGitHub, WriteLimitsNone)
		}
		*w = WriteLimits{Base: base}
		return nil
	case yaml.MappingNode:
		*w = WriteLimits{}
		return w.decodeKinds(n)
	}
	return fmt.Errorf("line %d: github.write_limits: want %s, %s or a map of checks and content", n.Line, WriteLimitsGitHub, WriteLimitsNone)
}

func (w *WriteLimits) decodeKinds(n *yaml.Node) error {
	var errs []error
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		k := w.kind(key.Value)
		if k == nil {
			errs = append(errs, fmt.Errorf("line %d: unknown key %s in github.write_limits (checks, content)", key.Line, key.Value))
			continue
		}
		if val.Kind != yaml.SequenceNode {
			errs = append(errs, fmt.Errorf("line %d: github.write_limits.%s: want a list such as [100/1m]", val.Line, key.Value))
			continue
		}
		k.Set = true
		for _, item := range val.Content {
			l, err := parseLimit(item.Value)
			if err != nil {
				errs = append(errs, fmt.Errorf("line %d: github.write_limits.%s: %w", item.Line, key.Value, err))
				continue
			}
			k.Limits = append(k.Limits, l)
		}
	}
	return errors.Join(errs...)
}

func writeLimitsWord(s string) (string, bool) {
	switch s {
	case WriteLimitsGitHub, WriteLimitsNone:
		return s, true
	}
	return "", false
}

// parseLimit reads N/DURATION: N > 0 requests in any window of a
// positive Go duration (30s, 1m, 1h).
func parseLimit(s string) (Limit, error) {
	n, d, ok := strings.Cut(strings.TrimSpace(s), "/")
	requests, err1 := strconv.Atoi(n)
	per, err2 := time.ParseDuration(d)
	if !ok || err1 != nil || err2 != nil || requests <= 0 || per <= 0 {
		return Limit{}, fmt.Errorf("%q is not N/DURATION with N > 0, such as 100/1m", s)
	}
	return Limit{Requests: requests, Per: per}, nil
}

// Set reads the environment's form of write_limits, as
// PORTICO_GITHUB_WRITE_LIMITS and flags take it: a word (github.com,
// none), or KIND=LIMITS pairs separated by ";", the limits by ","
// (checks=100/1m;content=80/1m,500/1h). An empty list leaves that kind
// unpaced; an empty s is the default. On error w is unchanged.
func (w *WriteLimits) Set(s string) error {
	if base, ok := writeLimitsWord(strings.TrimSpace(s)); ok {
		*w = WriteLimits{Base: base}
		return nil
	}
	var parsed WriteLimits
	for _, pair := range strings.Split(s, ";") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		name, list, ok := strings.Cut(pair, "=")
		k := parsed.kind(strings.TrimSpace(name))
		if !ok || k == nil || k.Set {
			return fmt.Errorf("%q is not %s, %s or KIND=N/DURATION,... pairs separated by ; (kinds checks and content, each once)",
				pair, WriteLimitsGitHub, WriteLimitsNone)
		}
		if err := k.parseList(list); err != nil {
			return fmt.Errorf("%s: %w", strings.TrimSpace(name), err)
		}
	}
	*w = parsed
	return nil
}

// parseList reads N/DURATION limits separated by ",".
func (k *KindLimits) parseList(list string) error {
	k.Set = true
	if strings.TrimSpace(list) == "" {
		return nil
	}
	for _, item := range strings.Split(list, ",") {
		l, err := parseLimit(item)
		if err != nil {
			return err
		}
		k.Limits = append(k.Limits, l)
	}
	return nil
}

func envWriteLimits(cfg *Config, getenv func(string) string) error {
	v := getenv(EnvGitHubWriteLimits)
	if v == "" {
		return nil
	}
	if err := cfg.GitHub.WriteLimits.Set(v); err != nil {
		return fmt.Errorf("%s: %w", EnvGitHubWriteLimits, err)
	}
	return nil
}

// validate catches what parsing cannot: a WriteLimits built in code.
func (w *WriteLimits) validate() error {
	var errs []error
	if _, ok := writeLimitsWord(w.Base); !ok && w.Base != "" {
		errs = append(errs, fmt.Errorf("github.write_limits: %q is not %s or %s", w.Base, WriteLimitsGitHub, WriteLimitsNone))
	}
	for _, name := range []string{"checks", "content"} {
		for _, l := range w.kind(name).Limits {
			if l.Requests <= 0 || l.Per <= 0 {
				errs = append(errs, fmt.Errorf("github.write_limits.%s: %d/%s must have N > 0 and a positive duration", name, l.Requests, l.Per))
			}
		}
	}
	return errors.Join(errs...)
}
