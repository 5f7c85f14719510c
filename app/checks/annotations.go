package checks

import (
	"github.com/portico-dev/portico/app/checkrun"
	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/report"
)

// seeAll tells people how to see the findings a check run leaves out.
const seeAll = "Run `portico validate` on the changed descriptors to see every finding."

// annotations turns findings into annotations at their exact position,
// each with a link to its rule's documentation when rules has one.
func annotations(rules *report.Rules, files []*report.File) []checkrun.Annotation {
	var out []checkrun.Annotation
	for _, f := range files {
		for _, d := range f.Documents {
			for _, x := range d.Findings {
				out = append(out, annotation(rules, f.Path, x))
			}
		}
	}
	return out
}

func annotation(rules *report.Rules, path string, x descriptor.Finding) checkrun.Annotation {
	level := checkrun.Warning
	if x.Severity == descriptor.SeverityError {
		level = checkrun.Failure
	}
	line := max(x.Line, 1)
	an := checkrun.Annotation{
		Path: path, StartLine: line, EndLine: line, StartColumn: x.Column, EndColumn: x.Column,
		Level: level, Title: x.Rule, Message: x.Message,
	}
	if d, _ := rules.Lookup(x.Rule); d.URL != "" {
		an.RawDetails = "Rule documentation: " + d.URL
	}
	return an
}

// conclusion: errors fail the check, warnings alone make it neutral.
func conclusion(s report.Summary) checkrun.Conclusion {
	switch {
	case s.Errors > 0:
		return checkrun.Failed
	case s.Warnings > 0:
		return checkrun.Neutral
	}
	return checkrun.Success
}
