package config

import (
	"errors"
	"fmt"
	"strconv"
)

// Environment overrides of templates.upgrades.
const (
	EnvTemplatesUpgradesConcurrency = "PORTICO_TEMPLATES_UPGRADES_CONCURRENCY"
	EnvTemplatesUpgradesPerHour     = "PORTICO_TEMPLATES_UPGRADES_PER_HOUR"
)

// Defaults of templates.upgrades: two repositories at once, sixty an
// hour. At five writes per pull request that is 300 content writes an
// hour, within the share of GitHub's 500 an hour that bulk work may use.
const (
	DefaultUpgradesConcurrency = 2
	DefaultUpgradesPerHour     = 60
)

// Templates tunes the App's template upgrades.
type Templates struct {
	Upgrades Upgrades `yaml:"upgrades"`
}

// Upgrades paces template-upgrade jobs, which run on a queue of their own
// below pull request checks.
type Upgrades struct {
	// Concurrency is how many repositories are upgraded at once in each
	// process (the upgrade queue's workers). 0: the default.
	Concurrency int `yaml:"concurrency"`
	// PerHour is how many upgrade jobs start per hour in each process,
	// in bursts of at most a minute's share. 0: the default; -1: not paced
	// (GitHub Enterprise Server without rate limits).
	PerHour int `yaml:"per_hour"`
}

// WithDefaults returns u with its zero values replaced by the defaults.
func (u Upgrades) WithDefaults() Upgrades {
	if u.Concurrency == 0 {
		u.Concurrency = DefaultUpgradesConcurrency
	}
	if u.PerHour == 0 {
		u.PerHour = DefaultUpgradesPerHour
	}
	return u
}

func (t Templates) validate() error {
	var errs []error
	if t.Upgrades.Concurrency < 0 {
		errs = append(errs, fmt.Errorf("templates.upgrades.concurrency: %d is negative", t.Upgrades.Concurrency))
	}
	if t.Upgrades.PerHour < -1 {
		errs = append(errs, fmt.Errorf("templates.upgrades.per_hour: %d is not a count of jobs (or -1 for unpaced)", t.Upgrades.PerHour))
	}
	return errors.Join(errs...)
}

func envTemplates(cfg *Config, getenv func(string) string) error {
	var errs []error
	for name, field := range map[string]*int{
		EnvTemplatesUpgradesConcurrency: &cfg.Templates.Upgrades.Concurrency,
		EnvTemplatesUpgradesPerHour:     &cfg.Templates.Upgrades.PerHour,
	} {
		if v := getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not an integer", name, v))
			}
			*field = n
		}
	}
	return errors.Join(errs...)
}
