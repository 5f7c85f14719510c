package report

import (
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/policy"
	"github.com/portico-dev/portico/policies"
)

// DocsBase is where portico's documentation lives: rule links are DocsBase,
// the page's path in the repository, and the rule's anchor. NewRules takes
// another base, for a mirror of the repository that users can reach (the
// CLI reads it from PORTICO_DOCS_URL).
const DocsBase = "https://github.com/portico-dev/portico/blob/main/"

// RuleDoc is what reports say about a rule id besides its findings.
type RuleDoc struct {
	ID string
	// Summary says what the rule checks in one line of plain text.
	Summary string
	// Description says it in Markdown, at more length where the source
	// has more to say.
	Description string
	// URL is the rule's documentation, an absolute http or https URL, or
	// "" when it has none.
	URL string
}

// Rules describes rule ids: portico's own from the pages that document
// them, then those a caller adds, such as an organisation's policies
// describing their rules in annotations. The zero value is unusable; a nil
// *Rules describes portico's own ids linked to DocsBase.
type Rules struct {
	base  string
	added map[string]RuleDoc
}

// NewRules returns the rules documented by portico, linked under base (""
// means DocsBase), and the added ones, which win over portico's own for the
// same id: an organisation that reuses an id knows what it means there.
func NewRules(base string, added ...RuleDoc) *Rules {
	if base == "" {
		base = DocsBase
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	r := &Rules{base: base, added: make(map[string]RuleDoc, len(added))}
	for _, d := range added {
		if !isWebURL(d.URL) {
			d.URL = ""
		}
		r.added[d.ID] = d
	}
	return r
}

// isWebURL reports whether s is an absolute http or https URL: SARIF's
// helpUri must be absolute, and a link in a summary should not run
// script.
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// Lookup returns what is known about a rule id. An id that nothing
// documents gets a RuleDoc with its ID only, and false.
func (r *Rules) Lookup(id string) (RuleDoc, bool) {
	if r == nil {
		r = defaultRules
	}
	if d, ok := r.added[id]; ok {
		return d, true
	}
	e, ok := builtinRules()[id]
	if !ok {
		return RuleDoc{ID: id}, false
	}
	// The pages describe a rule next to its id, so the description alone
	// can be as short as "string": the summary names the id.
	return RuleDoc{ID: id, Summary: id + ": " + plainText(e.description), Description: e.description,
		URL: r.base + e.page + "#" + e.anchor}, true
}

var defaultRules = NewRules("")

// RuleAnchor is the anchor a rule id has on its page: "rule-", then the id
// in lower case with every run of other characters than letters and digits
// turned into "-". Anchors are stable links, so this must never change.
func RuleAnchor(id string) string {
	return "rule-" + strings.Trim(nonAlnum.ReplaceAllString(strings.ToLower(id), "-"), "-")
}

var nonAlnum = regexp.MustCompile(`[^a-z0-9]+`)

// rulePages are the pages that document rule ids, by path in the
// repository, with their text as embedded in the binary.
var rulePages = []struct{ path, text string }{
	{"app/descriptor/RULES.md", descriptor.RulesDoc},
	{"policies/README.md", policies.README},
}

// builtinRules reads the rule tables of rulePages once.
var builtinRules = sync.OnceValue(func() map[string]ruleEntry {
	rules := map[string]ruleEntry{}
	for _, p := range rulePages {
		for _, e := range parseRuleTables(p.path, p.text) {
			if _, dup := rules[e.id]; !dup {
				rules[e.id] = e
			}
		}
	}
	return rules
})

// ruleCell renders a rule id for a table cell, linked to its documentation
// when it has some.
func ruleCell(rules *Rules, rule string) string {
	text := escapeMarkdown(rule)
	if d, _ := rules.Lookup(rule); d.URL != "" {
		return "[" + text + "](" + escapeURL(d.URL) + ")"
	}
	return text
}

// escapeURL keeps a link target from ending the link or the table cell: an
// organisation's policy annotations may hold any text.
func escapeURL(u string) string {
	return urlEscaper.Replace(u)
}

var urlEscaper = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "|", "%7C", "<", "%3C", ">", "%3E",
	"\\", "%5C", "\n", "", "\r", "")

// PolicyRules returns portico's rules linked under base ("" means
// DocsBase), with what a policy bundle's METADATA annotations say about
// its own ids. The summary names the id, as it does for portico's rules.
func PolicyRules(base string, docs []policy.RuleDoc) *Rules {
	added := make([]RuleDoc, len(docs))
	for i, d := range docs {
		summary := d.Title
		if summary == "" {
			summary, _, _ = strings.Cut(d.Description, "\n")
		}
		if summary != "" {
			summary = d.ID + ": " + summary
		}
		added[i] = RuleDoc{ID: d.ID, Summary: summary, Description: d.Description, URL: d.URL}
	}
	return NewRules(base, added...)
}
