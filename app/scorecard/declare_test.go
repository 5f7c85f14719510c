package scorecard

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/facts"
)

const goodCard = `package portico.scorecards.team_health

scorecard := {
	"title": "Team health",
	"levels": ["ok", "great"],
	"applies_to": {"kind": ["group"]},
	"rules": {
		"has-email": {"title": "Has email", "level": "great", "weight": 1, "message": "add spec.profile.email"},
		"has-members": {"title": "Has members", "level": "ok", "weight": 3, "message": "add members", "needs": ["files"]},
	},
}

pass contains "has-members" if input.entity.spec.members
`

func TestDeclaration(t *testing.T) {
	t.Parallel()
	e := engineOf(t, map[string]string{"team.rego": goodCard, "team_test.rego": "package x\n\nscorecard := 1\n"})
	want := []Scorecard{{
		ID: "team-health", Package: "data.portico.scorecards.team_health", Title: "Team health",
		Levels:    []string{"ok", "great"},
		AppliesTo: AppliesTo{Kinds: []string{"group"}},
		Rules: []Rule{
			{ID: "has-members", Title: "Has members", Level: "ok", Weight: 3, Message: "add members", Needs: []facts.Fact{facts.Files}},
			{ID: "has-email", Title: "Has email", Level: "great", Weight: 1, Message: "add spec.profile.email"},
		},
	}}
	if got := e.Scorecards(); !reflect.DeepEqual(got, want) {
		t.Errorf("scorecards\n got %+v\nwant %+v", got, want)
	}
}

// A malformed scorecard is refused at load, at the file and line of the
// mistake.
func TestNewRefusesMalformedScorecards(t *testing.T) {
	t.Parallel()
	edit := func(old, new string) string {
		if !strings.Contains(goodCard, old) {
			t.Fatalf("goodCard has no %q", old)
		}
		return strings.Replace(goodCard, old, new, 1)
	}
	cases := []struct {
		name, src, want string
	}{
		{"weight not a number", edit(`"weight": 3`, `"weight": "3"`), `card.rego:9: scorecard: rules.has-members.weight must be a whole number`},
		{"weight zero", edit(`"weight": 1`, `"weight": 0`), `card.rego:8: scorecard: rules.has-email.weight`},
		{"unknown level", edit(`"level": "great"`, `"level": "gold"`), `card.rego:8: scorecard: rules.has-email.level "gold" is not one of the levels`},
		{"missing message", edit(`, "message": "add members"`, ``), `card.rego:9: scorecard: rules.has-members.message is missing`},
		{"unknown rule key", edit(`"weight": 1,`, `"weight": 1, "wieght": 2,`), `card.rego:8: scorecard: unknown key "wieght"`},
		{"unknown top key", edit(`"title": "Team health",`, `"title": "Team health", "level": 1,`), `card.rego:4: scorecard: unknown key "level"`},
		{"bad rule id", edit(`"has-email":`, `"Has_Email":`), `card.rego:8: scorecard: rule id "Has_Email"`},
		{"level without rules", edit(`"levels": ["ok", "great"]`, `"levels": ["ok", "great", "best"]`), `card.rego:7: scorecard: level "best" has no rule`},
		{"none declared", edit(`"levels": ["ok", "great"]`, `"levels": ["none", "ok", "great"]`), `card.rego:5: scorecard: "none"`},
		{"no levels", edit(`"levels": ["ok", "great"]`, `"levels": []`), `card.rego:5: scorecard: levels must name at least one level`},
		{"unknown fact", edit(`"needs": ["files"]`, `"needs": ["stars"]`), `card.rego:9: scorecard: rules.has-members.needs: "stars" is no fact`},
		{"bad applies_to", edit(`"kind": ["group"]`, `"kind": "group"`), `card.rego:6: scorecard: applies_to.kind must be an array`},
		{"no title", edit(`"title": "Team health",`, ``), `card.rego:3: scorecard: title is missing`},
		{"not constant", edit(`"title": "Team health",`, `"title": input.title,`), `card.rego:3: scorecard must be a constant`},
		{"pass not a set", edit(`pass contains "has-members" if`, `pass := {"has-members"} if`), `card.rego:13: pass must be a partial set`},
		{"no pass", edit(`pass contains "has-members" if input.entity.spec.members`, ``), `card.rego:3: data.portico.scorecards.team_health declares a scorecard but defines no`},
		{"pass without scorecard", "package portico.scorecards.x\n\npass contains \"a\" if true\n", `card.rego:1: data.portico.scorecards.x defines pass but no`},
		{"rego syntax", edit(`pass contains`, `pass contain`), `card.rego:13: rego_parse_error`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(context.Background(), mapFS(map[string]string{"card.rego": c.src}))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("New: %v\nwant an error containing %q", err, c.want)
			}
		})
	}
}

func TestNewRefusesTakenID(t *testing.T) {
	t.Parallel()
	other := strings.Replace(goodCard, "package portico.scorecards.team_health", "package portico.scorecards[\"team-health\"]", 1)
	_, err := New(context.Background(), mapFS(map[string]string{"a.rego": goodCard, "b.rego": other}))
	if err == nil || !strings.Contains(err.Error(), `scorecard id "team-health" is taken`) {
		t.Errorf("New: %v", err)
	}
}

// Libraries under portico.scorecards (neither scorecard nor pass) are
// compiled for scorecards to import, never scored.
func TestLibraries(t *testing.T) {
	t.Parallel()
	lib := "package portico.scorecards.lib\n\nhas(files, f) if f in files\n"
	card := strings.Replace(goodCard, `pass contains "has-members" if input.entity.spec.members`,
		"import data.portico.scorecards.lib\n\npass contains \"has-members\" if lib.has(input.repository.files, \"MEMBERS\")", 1)
	e := engineOf(t, map[string]string{"lib.rego": lib, "card.rego": card})
	if got := e.Scorecards(); len(got) != 1 || got[0].ID != "team-health" {
		t.Errorf("scorecards %+v, want team-health only", got)
	}
}

// Scorecards run in the policies' sandbox: no built-in that reaches
// outside portico unless the operator allows it by name.
func TestNewRefusesOutsideBuiltins(t *testing.T) {
	t.Parallel()
	ssrf := strings.Replace(goodCard, `pass contains "has-members" if input.entity.spec.members`,
		`pass contains "has-members" if http.send({"method": "GET", "url": "http://169.254.169.254/"}).status_code == 200`, 1)
	fsys := mapFS(map[string]string{"card.rego": ssrf})
	_, err := New(context.Background(), fsys)
	if err == nil || !strings.Contains(err.Error(), "card.rego:13: http.send is not allowed") {
		t.Errorf("New: %v, want http.send refused at card.rego:13", err)
	}
	if _, err := New(context.Background(), fsys, WithAllowedBuiltins("http.send")); err != nil {
		t.Errorf("New with http.send allowed: %v", err)
	}
	if _, err := New(context.Background(), fsys, WithAllowedBuiltins("http.sned")); err == nil {
		t.Error("New allowing a built-in that is not refused: no error")
	}
}
