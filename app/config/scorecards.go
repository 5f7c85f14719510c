package config

import (
	"fmt"
	"regexp"
)

// EnvScorecardsFailBelow overrides scorecards.fail_below.
const EnvScorecardsFailBelow = "PORTICO_SCORECARDS_FAIL_BELOW" // production-readiness:bronze

// Scorecards tunes the scorecard section of the pull request check.
type Scorecards struct {
	// FailBelow fails the check when an entity it scores is below this
	// level at the pull request's head: LEVEL (on every scorecard that
	// has that level) or SCORECARD:LEVEL, as `portico score --fail-below`
	// takes it. Empty, the default: a score never fails the check.
	FailBelow string `yaml:"fail_below"`
}

// failBelowPattern is LEVEL or SCORECARD:LEVEL; whether a scorecard has
// the level is known only once the platform's scorecards load.
var failBelowPattern = regexp.MustCompile(`^([A-Za-z0-9_.-]+:)?[A-Za-z0-9_.-]+$`)

func envScorecards(cfg *Config, getenv func(string) string) error {
	if v := getenv(EnvScorecardsFailBelow); v != "" {
		cfg.Scorecards.FailBelow = v
	}
	return nil
}

func (s Scorecards) validate() error {
	if s.FailBelow != "" && !failBelowPattern.MatchString(s.FailBelow) {
		return fmt.Errorf("scorecards.fail_below: %q is not LEVEL or SCORECARD:LEVEL", s.FailBelow)
	}
	return nil
}
