package scorecard

import (
	"context"
	"testing"
)

// FuzzNew feeds New scorecard sources: an organisation's repository is
// outside input, and no source may panic the loader; it loads or it is
// refused with an error.
func FuzzNew(f *testing.F) {
	f.Add(goodCard)
	f.Add(oneRuleCard("x", `"kind": ["API"]`, `pass contains "r" if true`))
	f.Add("package portico.scorecards.x\n\nscorecard := {\"title\": 1}\n\npass contains 1 if true\n")
	f.Add("package portico.scorecards.x\n\nscorecard := [1, {\"levels\": null}]\n")
	f.Fuzz(func(t *testing.T, src string) {
		e, err := New(context.Background(), mapFS(map[string]string{"card.rego": src}))
		if err == nil && e == nil {
			t.Fatal("New returned neither an engine nor an error")
		}
	})
}

// FuzzDeclaration fuzzes the declaration object alone, where most
// mutations of a whole source would only break Rego's syntax.
func FuzzDeclaration(f *testing.F) {
	f.Add(`{"title": "T", "levels": ["a"], "rules": {"r": {"title": "R", "level": "a", "weight": 1, "message": "m"}}}`)
	f.Add(`{"title": "T", "levels": ["a", "b"], "applies_to": {"tags": ["x"]}, "rules": {"r": {"title": "R", "level": "b", "weight": 101, "message": "m", "needs": ["files", 1]}}}`)
	f.Add(`{"levels": [], "rules": {}}`)
	f.Fuzz(func(t *testing.T, decl string) {
		src := "package portico.scorecards.x\n\nscorecard := " + decl + "\n\npass contains \"r\" if true\n"
		e, err := New(context.Background(), mapFS(map[string]string{"card.rego": src}))
		if err != nil {
			return
		}
		for _, s := range e.Scorecards() {
			if s.Title == "" || len(s.Levels) == 0 || len(s.Rules) == 0 {
				t.Fatalf("loaded an incomplete scorecard %+v", s)
			}
			for _, r := range s.Rules {
				if r.Weight < 1 || r.Message == "" {
					t.Fatalf("loaded a rule %+v", r)
				}
			}
		}
	})
}
