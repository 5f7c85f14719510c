package descriptor

import (
	"strings"
	"testing"
)

// TestSyntaxErrorPositions checks, for each kind of syntax error, that the
// finding is where Backstage's YAML parser (the yaml package, 2.8) points:
// each want was printed by
//
//	NODE_PATH=$HOME/.cache/backstage-oracle/node_modules node -e \
//	  'for (const d of require("yaml").parseAllDocuments(TEXT)) console.log(d.errors.map(e => e.linePos[0]))'
//
// (the undefined alias, which that parser reports only when it builds
// the value, is at the alias).
func TestSyntaxErrorPositions(t *testing.T) {
	t.Parallel()
	const head = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: web\n"
	cases := []struct {
		name      string
		text      string
		line, col int
		rule      string
		says      string
	}{
		{"unclosed flow sequence", head + "  tags: [a, b\nspec:\n  type: service\n", 6, 1, RuleYAML, "flow sequence"},
		{"unclosed flow sequence, next line as deep", "metadata:\n  tags: [a, b\n  title: x\n", 3, 3, RuleYAML, "not closed"},
		{"unclosed flow sequence over lines", "metadata:\n  tags: [a,\n    b\nspec: x\n", 4, 1, RuleYAML, "not closed"},
		{"unclosed flow sequence at the end", "metadata:\n  tags: [a, b\n", 3, 1, RuleYAML, "not closed"},
		{"unclosed flow sequence at the end, no newline", "metadata:\n  tags: [a, b", 2, 14, RuleYAML, "not closed"},
		{"unclosed flow mapping", head + "  labels: {a: b\nspec:\n  type: service\n", 6, 1, RuleYAML, "flow mapping"},
		{"unclosed flow mapping, blank and comment lines", "metadata:\n  labels: {a: b,\n    c: d\n\n# c\nspec: x\n", 6, 1, RuleYAML, "not closed"},
		{"empty flow sequence at the end", "a: [b,\n", 2, 1, RuleYAML, "node content"},
		{"tab as indentation", head + "spec:\n  type: service\n\tlifecycle: production\n", 7, 1, RuleYAML, "tabs are not allowed"},
		{"tab after spaces", "metadata:\n  \tname: x\n", 2, 3, RuleYAML, "tabs are not allowed"},
		{"tab before a key", "kind: Component\nmetadata:\n\tname: web\n", 3, 1, RuleYAML, "tabs are not allowed"},
		{"tab before a sequence item", "a:\n  - x\n\t- y\n", 3, 1, RuleYAML, "tabs are not allowed"},
		{"over-indented key", head + "   title: x\nspec: {}\n", 4, 9, RuleYAML, "runs on"},
		{"no space after a colon", "kind: Component\nmetadata:\n  name:web\n  title: x\n", 3, 3, RuleYAML, "runs on"},
		{"plain value running into a key", "a: b\n  c: d\n", 1, 4, RuleYAML, "runs on"},
		{"under-indented key", "a:\n  b: 1\n c: 2\n", 3, 1, RuleYAML, "indentation of the mapping"},
		{"sequence item under a scalar", "kind: Component\nmetadata:\n  name: web\n  - a\n", 4, 1, RuleYAML, "indentation"},
		{"mapping among sequence items", "kind: Component\nmetadata:\n  tags:\n    - a\n    b: c\n", 5, 1, RuleYAML, "indentation of the sequence"},
		{"key after a sequence at its indentation", "a:\n  - x\n  y: 2\n", 3, 1, RuleYAML, "sequence"},
		{"stray closing bracket", "kind: Component\nmetadata:\n  name: web]\n  tags: [a]]\n", 4, 12, RuleYAML, "closes nothing"},
		{"unclosed double quote", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: \"web\n  title: x\n", 6, 1, RuleYAML, "quoted string"},
		{"unclosed single quote", "kind: Component\nmetadata:\n  name: 'web\n", 4, 1, RuleYAML, "quoted string"},
		{"unclosed quote, no newline", "a: 'x", 1, 6, RuleYAML, "quoted string"},
		{"invalid escape", "kind: Component\nmetadata:\n  name: \"a\\qb\"\n", 3, 11, RuleYAML, "escape"},
		{"duplicate key", head + "  name: shop\n", 5, 3, RuleDupKey, "duplicate"},
		{"undefined alias", head + "  title: *web\n", 5, 10, RuleYAML, "unknown anchor"},
		{"error in a second document", "kind: A\n---\nkind: B\nmetadata:\n  tags: [a,\n", 6, 1, RuleYAML, "node content"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var got []Finding
			for _, d := range Parse([]byte(c.text), 0).Documents {
				got = append(got, d.Findings...)
			}
			if len(got) != 1 {
				t.Fatalf("findings %v, want one", got)
			}
			f := got[0]
			if f.Rule != c.rule || f.Line != c.line || f.Column != c.col || !strings.Contains(f.Message, c.says) {
				t.Errorf("%s at %d:%d: %s; want %s at %d:%d saying %q", f.Rule, f.Line, f.Column, f.Message, c.rule, c.line, c.col, c.says)
			}
		})
	}
}
