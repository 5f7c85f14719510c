package config

import "testing"

func TestScorecardsFailBelow(t *testing.T) {
	t.Parallel()
	cases := []struct {
		env   string
		valid bool
	}{
		{"", true},
		{"silver", true},
		{"production-readiness:bronze", true},
		{"production readiness:bronze", false},
		{"a:b:c", false},
		{":bronze", false},
	}
	for _, c := range cases {
		var cfg Config
		if err := envScorecards(&cfg, func(k string) string { return map[string]string{EnvScorecardsFailBelow: c.env}[k] }); err != nil {
			t.Fatal(err)
		}
		if cfg.Scorecards.FailBelow != c.env {
			t.Errorf("%s=%q read as %q", EnvScorecardsFailBelow, c.env, cfg.Scorecards.FailBelow)
		}
		if err := cfg.Scorecards.validate(); (err == nil) != c.valid {
			t.Errorf("fail_below %q: err %v, want valid %v", c.env, err, c.valid)
		}
	}
}
