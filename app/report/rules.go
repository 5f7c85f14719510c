package report

import "strings"

// DocsBase is where portico's documentation lives; rule links point there.
const DocsBase = "https://github.com/portico-dev/portico/blob/main/"

// RuleDocURL returns the page that explains a rule: Backstage's rules and
// the YAML reading are documented with the descriptor package, the default
// policies with the policy bundle. Rules of an organisation's own policies
// have no page here and get "".
func RuleDocURL(rule string) string {
	switch {
	case strings.HasPrefix(rule, "backstage/"), strings.HasPrefix(rule, "yaml/"):
		return DocsBase + "app/descriptor/RULES.md"
	case strings.HasPrefix(rule, "portico/"):
		return DocsBase + "policies/README.md"
	}
	return ""
}

// ruleCell renders a rule id for a table cell, linked to its page when it
// has one.
func ruleCell(rule string) string {
	text := escapeMarkdown(rule)
	if url := RuleDocURL(rule); url != "" {
		return "[" + text + "](" + url + ")"
	}
	return text
}
