package cli

import (
	"maps"
	"testing"

	"github.com/portico-dev/portico/app/scorecard"
)

func TestParseFailBelow(t *testing.T) {
	t.Parallel()
	cards := []scorecard.Scorecard{
		{ID: "production-readiness", Levels: []string{"bronze", "silver", "gold"}},
		{ID: "security", Levels: []string{"bronze", "hardened"}},
		{ID: "documentation", Levels: []string{"basic", "complete"}},
	}
	cases := []struct {
		flag string
		want failGate
		ok   bool
	}{
		{"", failGate{}, true},
		{"bronze", failGate{"production-readiness": "bronze", "security": "bronze"}, true},
		{"production-readiness:bronze", failGate{"production-readiness": "bronze"}, true},
		{"complete", failGate{"documentation": "complete"}, true},
		{"security:gold", nil, false},
		{"platinum", nil, false},
		{"nope:bronze", nil, false},
	}
	for _, c := range cases {
		got, err := parseFailBelow(c.flag, cards)
		if (err == nil) != c.ok || !maps.Equal(got, c.want) {
			t.Errorf("parseFailBelow(%q) = %v, %v; want %v (ok %v)", c.flag, got, err, c.want, c.ok)
		}
	}
}
