package report

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/policy"
	"github.com/portico-dev/portico/policies"
)

// repoRoot is the repository, seen from this package.
const repoRoot = "../.."

// ownRulePrefix matches the ids portico reports by itself, as opposed to
// an organisation's policies.
var ownRulePrefix = regexp.MustCompile(`^(yaml|backstage|portico|policy|io|catalog|template)/[A-Za-z]`)

func TestRuleAnchor(t *testing.T) {
	t.Parallel()
	tests := []struct{ id, want string }{
		{"backstage/metadata.name", "rule-backstage-metadata-name"},
		{"yaml/duplicate-key", "rule-yaml-duplicate-key"},
		{"backstage/spec.EXPERIMENTAL_formDecorators", "rule-backstage-spec-experimental-formdecorators"},
		{"portico/owner-group", "rule-portico-owner-group"},
		{"org/owner:team,known", "rule-org-owner-team-known"},
		{"/x//y/", "rule-x-y"},
	}
	for _, tt := range tests {
		if got := RuleAnchor(tt.id); got != tt.want {
			t.Errorf("RuleAnchor(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

// TestRulePagesAreConsistent checks the documentation side: every anchored
// row has the anchor its id should have, a description, and an id no
// other row has; and no rule anchor on a page sits outside a rule table,
// where reports would not find it.
func TestRulePagesAreConsistent(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	anchor := regexp.MustCompile(`<a id="(rule-[^"]*)">`)
	for _, p := range rulePages {
		entries := parseRuleTables(p.path, p.text)
		parsed := map[string]bool{}
		for _, e := range entries {
			parsed[e.anchor] = true
			if e.anchor != RuleAnchor(e.id) {
				t.Errorf("%s: %s has anchor %s, want %s", p.path, e.id, e.anchor, RuleAnchor(e.id))
			}
			if strings.TrimSpace(e.description) == "" {
				t.Errorf("%s: %s has no description", p.path, e.id)
			}
			if other, dup := seen[e.id]; dup {
				t.Errorf("%s: %s is documented twice (also in %s)", p.path, e.id, other)
			}
			seen[e.id] = p.path
		}
		for _, m := range anchor.FindAllStringSubmatch(p.text, -1) {
			if !parsed[m[1]] {
				t.Errorf("%s: anchor %s is not on a rule table row that reports can read", p.path, m[1])
			}
		}
		onDisk, err := os.ReadFile(filepath.Join(repoRoot, p.path))
		if err != nil || string(onDisk) != p.text {
			t.Errorf("%s: the embedded page is not the file (%v)", p.path, err)
		}
	}
}

// TestEveryRuleIsDocumented checks both directions between the ids
// portico can report and the documented ones: each id has an anchor and a
// description, and each anchor names an id that portico can still report.
func TestEveryRuleIsDocumented(t *testing.T) {
	t.Parallel()
	emitted := emittedRuleIDs(t)
	documented := builtinRules()
	for _, id := range slices.Sorted(mapKeys(emitted)) {
		if _, ok := documented[id]; !ok {
			t.Errorf("%s (from %s) has no anchored row in %s", id, emitted[id], pageList())
		}
	}
	for id, e := range documented {
		if _, ok := emitted[id]; !ok {
			t.Errorf("%s#%s documents %s, which portico never reports: stale", e.page, e.anchor, id)
		}
	}
}

func pageList() string {
	var names []string
	for _, p := range rulePages {
		names = append(names, p.path)
	}
	return strings.Join(names, " or ")
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// emittedRuleIDs gathers the ids portico can report, each with where it
// was found: constants of the Go sources, the rule ids of the default
// policies, and whatever Validate reports on the parity corpus, which
// covers the spec fields that the kind tables build.
func emittedRuleIDs(t *testing.T) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for id, where := range goRuleConstants(t, filepath.Join(repoRoot, "app")) {
		ids[id] = where
	}
	for id := range defaultPolicyRules(t) {
		ids[id] = "policies/"
	}
	for id := range corpusRules(t, filepath.Join(repoRoot, "testdata/parity")) {
		ids[id] = "Validate on testdata/parity"
	}
	return ids
}

// goRuleConstants evaluates the string constants of the non-test Go files
// under dir, concatenations of constants included, and keeps those that
// look like portico's rule ids.
func goRuleConstants(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		for id := range packageConstants(t, path) {
			// A rule id never ends in a slash; constants that do are path
			// prefixes (a branch namespace such as "portico/template/").
			if ownRulePrefix.MatchString(id) && !strings.ContainsAny(id, " %") && !strings.HasSuffix(id, "/") {
				out[id] = path
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// packageConstants returns the values of a package's string constants.
func packageConstants(t *testing.T, dir string) map[string]bool {
	t.Helper()
	fset := token.NewFileSet()
	exprs := map[string]ast.Expr{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if g, ok := n.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, s := range g.Specs {
					vs := s.(*ast.ValueSpec)
					for i, name := range vs.Names {
						if i < len(vs.Values) {
							exprs[name.Name] = vs.Values[i]
						}
					}
				}
			}
			return true
		})
	}
	values := map[string]bool{}
	for _, x := range exprs {
		if v, ok := evalString(x, exprs, 0); ok {
			values[v] = true
		}
	}
	return values
}

// evalString evaluates string literals, constant names and their sums.
func evalString(x ast.Expr, consts map[string]ast.Expr, depth int) (string, bool) {
	if depth > 10 {
		return "", false
	}
	switch x := x.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.Ident:
		if c, ok := consts[x.Name]; ok {
			return evalString(c, consts, depth+1)
		}
	case *ast.ParenExpr:
		return evalString(x.X, consts, depth+1)
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", false
		}
		a, ok1 := evalString(x.X, consts, depth+1)
		b, ok2 := evalString(x.Y, consts, depth+1)
		return a + b, ok1 && ok2
	}
	return "", false
}

// defaultPolicyRules reads the rule ids the default bundle's policies put
// on their findings.
func defaultPolicyRules(t *testing.T) map[string]bool {
	t.Helper()
	ruleField := regexp.MustCompile(`"rule":\s*"([^"]+)"`)
	out := map[string]bool{}
	err := fs.WalkDir(policies.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(name, "_test.rego") {
			return err
		}
		src, err := fs.ReadFile(policies.FS, name)
		for _, m := range ruleField.FindAllStringSubmatch(string(src), -1) {
			out[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("found no rule ids in the default policies")
	}
	return out
}

// corpusRules returns the rule ids of every finding Parse and Validate
// report on the YAML files under dir.
func corpusRules(t *testing.T, dir string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f := descriptor.Parse(data, 0)
		for _, x := range f.Findings {
			out[x.Rule] = true
		}
		for _, d := range f.Documents {
			descriptor.Validate(d)
			for _, x := range d.Findings {
				out[x.Rule] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRulesLookup(t *testing.T) {
	t.Parallel()
	const docs = "https://github.com/portico-dev/portico/blob/main/"
	org := RuleDoc{ID: "acme/title", Summary: "Components have a title", Description: "Add `metadata.title`.",
		URL: "https://wiki.example.com/catalog#title"}
	tests := []struct {
		name    string
		rules   *Rules
		id      string
		want    RuleDoc
		wantOK  bool
		summary string
	}{
		{"nil is portico's own", nil, "backstage/metadata.name",
			RuleDoc{URL: docs + "app/descriptor/RULES.md#rule-backstage-metadata-name"}, true,
			"backstage/metadata.name: required string, 1-63, ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$"},
		{"default policy", NewRules(""), "portico/owner-group",
			RuleDoc{URL: docs + "policies/README.md#rule-portico-owner-group"}, true, ""},
		{"policy evaluation", NewRules(""), "policy/error",
			RuleDoc{URL: docs + "policies/README.md#rule-policy-error"}, true, ""},
		{"mirror without a slash", NewRules("https://ghe.example.com/mirrors/portico/blob/v1"), "yaml/syntax",
			RuleDoc{URL: "https://ghe.example.com/mirrors/portico/blob/v1/app/descriptor/RULES.md#rule-yaml-syntax"}, true, ""},
		{"organisation's rule", NewRules("", org), "acme/title", org, true, "Components have a title"},
		{"organisation's rule wins", NewRules("", RuleDoc{ID: "yaml/syntax", Summary: "ours", URL: "https://x.example/y"}), "yaml/syntax",
			RuleDoc{URL: "https://x.example/y"}, true, "ours"},
		{"script URL dropped", NewRules("", RuleDoc{ID: "acme/x", Summary: "s", URL: "javascript:alert(1)"}), "acme/x",
			RuleDoc{}, true, "s"},
		{"relative URL dropped", NewRules("", RuleDoc{ID: "acme/x", Summary: "s", URL: "/wiki/x"}), "acme/x",
			RuleDoc{}, true, "s"},
		{"undocumented", NewRules("", org), "acme/other", RuleDoc{}, false, ""},
		{"the pattern row is not an id", nil, "backstage/spec.<field>", RuleDoc{}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := tt.rules.Lookup(tt.id)
			if ok != tt.wantOK || got.ID != tt.id || got.URL != tt.want.URL {
				t.Errorf("Lookup(%q) = %+v, %v; want URL %q, %v", tt.id, got, ok, tt.want.URL, tt.wantOK)
			}
			if ok && (got.Summary == "" || got.Description == "" && tt.want.Description != "") {
				t.Errorf("Lookup(%q) = %+v: want a summary and the description", tt.id, got)
			}
			if tt.summary != "" && got.Summary != tt.summary {
				t.Errorf("Lookup(%q).Summary = %q, want %q", tt.id, got.Summary, tt.summary)
			}
		})
	}
}

func TestEveryRuleLinksToItsAnchor(t *testing.T) {
	t.Parallel()
	var rules *Rules
	for id, e := range builtinRules() {
		want := DocsBase + e.page + "#" + RuleAnchor(id)
		if d, ok := rules.Lookup(id); !ok || d.URL != want {
			t.Errorf("Lookup(%q).URL = %q, want %q", id, d.URL, want)
		}
	}
	if d, _ := rules.Lookup("acme/title"); d.URL != "" {
		t.Errorf("an organisation's rule links to %q, want nothing", d.URL)
	}
}

func TestRuleCellEscapesLinks(t *testing.T) {
	t.Parallel()
	rules := NewRules("", RuleDoc{ID: "acme/x|y", Summary: "s", URL: "https://wiki.example.com/a b(c)|d"})
	got := ruleCell(rules, "acme/x|y")
	want := "[acme/x&#124;y](https://wiki.example.com/a%20b%28c%29%7Cd)"
	if got != want {
		t.Errorf("ruleCell = %q, want %q", got, want)
	}
	if got := ruleCell(rules, "acme/none"); got != "acme/none" {
		t.Errorf("ruleCell of an undocumented rule = %q, want the id alone", got)
	}
}

func TestParseRuleTables(t *testing.T) {
	t.Parallel()
	page := "intro\n\n" +
		"| id | checks | on |\n|---|---|---|\n" +
		"| <a id=\"rule-a-b\"></a>`a/b` | a `x\\|y` value | Component |\n" +
		"| `a/pattern.<field>` | not anchored | any |\n" +
		"\ntext between\n\n" +
		"| rule | severity | what it asks |\n|---|---|---|\n" +
		"| <a id=\"rule-c-d\"></a>`c/d` | warning | **asks** this |\n" +
		"| other | table | <a id=\"rule-e\"></a>`e` |\n"
	got := parseRuleTables("p.md", page)
	want := []ruleEntry{
		{id: "a/b", page: "p.md", anchor: "rule-a-b", description: "a `x|y` value (Component)"},
		{id: "c/d", page: "p.md", anchor: "rule-c-d", description: "**asks** this"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("parseRuleTables = %+v, want %+v", got, want)
	}
	if p := plainText(want[1].description); p != "asks this" {
		t.Errorf("plainText = %q", p)
	}
}

// FuzzRuleCell feeds an organisation's rule ids and annotation URLs, which
// come from policy files, to the summary's rule cell: whatever they hold,
// the cell stays one cell of one row, and a link stays one link.
func FuzzRuleCell(f *testing.F) {
	f.Add("acme/title", "https://wiki.example.com/catalog#title")
	f.Add("a|b", "https://x.example/a b(c)|d\n| e |")
	f.Add("x](javascript:alert(1))", "javascript:alert(1)")
	f.Add("yaml/syntax", "http://h/<script>")
	f.Add("acme/x", `https://h/a\`)
	f.Fuzz(func(t *testing.T, id, u string) {
		rules := NewRules("", RuleDoc{ID: id, Summary: "s", URL: u})
		cell := ruleCell(rules, id)
		if strings.ContainsAny(cell, "|\n\r") {
			t.Fatalf("cell %q can end the cell or the row", cell)
		}
		d, _ := rules.Lookup(id)
		if d.URL == "" {
			if cell != escapeMarkdown(id) {
				t.Fatalf("cell %q of an unlinked rule is not its escaped id", cell)
			}
			return
		}
		target, ok := strings.CutPrefix(cell, "["+escapeMarkdown(id)+"](")
		target, closed := strings.CutSuffix(target, ")")
		if !ok || !closed || strings.ContainsAny(target, " ()<>\\") {
			t.Fatalf("cell %q is not one link to a plain target", cell)
		}
		if lower := strings.ToLower(target); !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
			t.Fatalf("cell %q links to a non-web URL", cell)
		}
	})
}

func TestPolicyRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   policy.RuleDoc
		want RuleDoc
	}{
		{"title", policy.RuleDoc{ID: "acme/t", Title: "Components have a title", Description: "Add `metadata.title`.", URL: "https://w.example/t"},
			RuleDoc{ID: "acme/t", Summary: "acme/t: Components have a title", Description: "Add `metadata.title`.", URL: "https://w.example/t"}},
		{"description's first line without a title", policy.RuleDoc{ID: "naming", Description: "Types are lower case.\n\nBackstage compares them as written."},
			RuleDoc{ID: "naming", Summary: "naming: Types are lower case.", Description: "Types are lower case.\n\nBackstage compares them as written."}},
		{"a link only", policy.RuleDoc{ID: "acme/l", URL: "https://w.example/l"},
			RuleDoc{ID: "acme/l", URL: "https://w.example/l"}},
	}
	for _, tt := range tests {
		got, ok := PolicyRules("", []policy.RuleDoc{tt.in}).Lookup(tt.in.ID)
		if !ok || got != tt.want {
			t.Errorf("%s: Lookup = %+v, want %+v", tt.name, got, tt.want)
		}
	}
	if d, _ := PolicyRules("", nil).Lookup("yaml/syntax"); d.URL != DocsBase+"app/descriptor/RULES.md#rule-yaml-syntax" {
		t.Errorf("portico's own rules lost their links: %+v", d)
	}
}
