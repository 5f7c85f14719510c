package templating

import (
	"fmt"

	"github.com/portico-dev/portico/app/descriptor"
)

// Rule ids of template findings, beside the descriptor rules a
// template.yaml is also checked with.
const (
	RuleRead          = "template/read"
	RuleEntity        = "template/entity"
	RuleDuplicate     = "template/duplicate-name"
	RuleVersion       = "template/version"
	RuleParameters    = "template/parameters"
	RuleStepURL       = "template/step-url"
	RuleUnknownAction = "template/unknown-action"
)

// Finding is a problem in one template file, at a line and column of it.
type Finding struct {
	File string `json:"file"`
	descriptor.Finding
}

func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s (%s)", f.File, f.Line, f.Column, f.Severity, f.Message, f.Rule)
}

// IsError reports whether the finding refuses the template.
func (f Finding) IsError() bool { return f.Severity == descriptor.SeverityError }

func findingAt(file string, sev descriptor.Severity, rule string, v *descriptor.Value, msg string) Finding {
	line, col := 1, 1
	if v != nil {
		line, col = max(v.Line, 1), max(v.Column, 1)
	}
	return Finding{File: file, Finding: descriptor.Finding{Severity: sev, Rule: rule, Message: msg, Line: line, Column: col}}
}

func hasError(fs []Finding) bool {
	for _, f := range fs {
		if f.IsError() {
			return true
		}
	}
	return false
}
