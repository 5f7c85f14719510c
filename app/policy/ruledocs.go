package policy

import (
	"maps"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// RuleDoc is what a policy says about one of its rule ids, in an OPA
// METADATA annotation, for reports to show next to its findings.
type RuleDoc struct {
	ID string
	// Title is the annotation's title: one line of plain text.
	Title string
	// Description is the annotation's description, Markdown.
	Description string
	// URL is the first related_resources ref.
	URL string
}

// customRuleKey is the key under an annotation's custom that names the
// rule id it describes, for findings that set their own "rule".
const customRuleKey = "rule"

// RuleDocs returns what the bundle's METADATA annotations say about its
// rule ids, sorted by id. Ids no annotation describes are left out.
func (e *Engine) RuleDocs() []RuleDoc { return slices.Clone(e.docs) }

// ruleDocs reads the METADATA annotations of the policy packages (under
// portico.) and of any package whose annotation names a rule with
// custom.rule. An annotation describes the id in custom.rule, or else the
// package's default id, which string findings and objects without "rule"
// get. When several describe one id, each field comes from the first file
// (by name) that sets it, so the result does not depend on map order.
func ruleDocs(modules map[string]*ast.Module) []RuleDoc {
	docs := map[string]*RuleDoc{}
	for _, name := range slices.Sorted(maps.Keys(modules)) {
		m := modules[name]
		for _, a := range m.Annotations {
			id, ok := annotatedRule(m, a)
			if !ok {
				continue
			}
			d := docs[id]
			if d == nil {
				d = &RuleDoc{ID: id}
				docs[id] = d
			}
			d.merge(a)
		}
	}
	var out []RuleDoc
	for _, id := range slices.Sorted(maps.Keys(docs)) {
		if d := docs[id]; d.Title != "" || d.Description != "" || d.URL != "" {
			out = append(out, *d)
		}
	}
	return out
}

// annotatedRule returns the rule id an annotation describes.
func annotatedRule(m *ast.Module, a *ast.Annotations) (string, bool) {
	if id, ok := a.Custom[customRuleKey].(string); ok && strings.TrimSpace(id) != "" {
		return strings.TrimSpace(id), true
	}
	if !m.Package.Path.HasPrefix(rootRef) || !onPackageOrSet(a) {
		return "", false
	}
	return ruleID(m.Package.Path), true
}

// onPackageOrSet reports whether an annotation is on a package or on one
// of its deny and warn sets: one on a helper rule says nothing about the
// package's findings.
func onPackageOrSet(a *ast.Annotations) bool {
	switch a.Scope {
	case "package", "subpackages":
		return true
	}
	path := a.GetTargetPath()
	if len(path) == 0 {
		return false
	}
	last, ok := path[len(path)-1].Value.(ast.String)
	_, isSet := severities[string(last)]
	return ok && isSet
}

func (d *RuleDoc) merge(a *ast.Annotations) {
	if d.Title == "" {
		d.Title = strings.TrimSpace(a.Title)
	}
	if d.Description == "" {
		d.Description = strings.TrimSpace(a.Description)
	}
	if d.URL == "" && len(a.RelatedResources) > 0 {
		d.URL = a.RelatedResources[0].Ref.String()
	}
}
