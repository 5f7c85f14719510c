package descriptor

import (
	"fmt"
	"strconv"
	"strings"
)

// rulePrefix starts the id of every Backstage rule: "backstage/" and then
// the field the rule is about, as listed in RULES.md.
const rulePrefix = "backstage/"

// Validate appends to d.Findings every Backstage rule that the document
// breaks, each located at the value at fault (or, for a missing field, at
// the key of its parent). Backstage stops at its first error; Validate
// reports them all, so a document is valid for Backstage exactly when
// Validate adds no error. Documents without a mapping root are left alone:
// Parse has already reported them.
func Validate(d *Document) {
	if d == nil || d.Root == nil || d.Root.Kind != Map {
		return
	}
	c := checker{d: d, root: d.Root}
	c.checkRoot()
	c.checkMetadata()
	c.checkSpec()
}

// checker carries the document being validated. Findings, messages and
// paths are built only when a rule fails, so a valid document costs one
// allocation (the checker) beyond the walk itself.
type checker struct {
	d    *Document
	root *Value
	// sev is the severity of the findings being reported: warnings for
	// rules that Backstage's catalog-model does not enforce; "" is error.
	sev Severity
}

func (c *checker) severity() Severity {
	if c.sev == "" {
		return SeverityError
	}
	return c.sev
}

// at reports a finding at v, or where v should be when it is missing.
func (c *checker) at(sev Severity, rule string, p Path, v *Value, msg string) {
	line, col := 0, 0
	if v != nil {
		line, col = v.Line, v.Column
	} else {
		line, col = c.root.Locate(p)
	}
	c.d.Findings = append(c.d.Findings, Finding{
		Severity: sev, Rule: rule, Message: msg, Line: max(line, 1), Column: max(col, 1), Path: p.String(),
	})
}

// fail reports a finding at v (nil: missing, at its parent).
func (c *checker) fail(rule string, p Path, v *Value, msg string) {
	c.at(c.severity(), rule, p, v, msg)
}

// failKey reports a finding about a mapping key, at the key itself.
func (c *checker) failKey(rule string, p Path, f *Field, msg string) {
	c.d.Findings = append(c.d.Findings, Finding{
		Severity: c.severity(), Rule: rule, Message: msg, Line: max(f.Line, 1), Column: max(f.Column, 1), Path: p.String(),
	})
}

// missing reports a required field that is absent.
func (c *checker) missing(rule string, p Path, what string) {
	c.fail(rule, p, nil, fmt.Sprintf("%s is required%s but missing", field(p), what))
}

// wrongType reports a value of the wrong type, naming what was expected.
func (c *checker) wrongType(rule string, p Path, v *Value, want string) {
	c.fail(rule, p, v, fmt.Sprintf("%s must be %s but found %s", field(p), want, describe(v)))
}

// invalid reports a value that breaks a format, in Backstage's words.
func (c *checker) invalid(rule string, p Path, v *Value, expected string) {
	c.fail(rule, p, v, fmt.Sprintf("%s is not valid; expected %s but found %s", field(p), expected, describe(v)))
}

// field names the value at p in a message, quoted as Backstage does unless
// the path quotes a key itself.
func field(p Path) string {
	s := p.String()
	if strings.ContainsRune(s, '"') {
		return s
	}
	return `"` + s + `"`
}

// describe renders a value for a message: strings quoted, other types named.
func describe(v *Value) string {
	if v == nil {
		return "nothing"
	}
	switch v.Kind {
	case Null:
		return "null"
	case Bool:
		return "a boolean (" + strconv.FormatBool(v.Bool) + ")"
	case Number:
		return "a number (" + v.Str + ")"
	case String:
		return strconv.Quote(v.Str)
	case Map:
		return "an object"
	case List:
		return "an array"
	}
	return v.Kind.String()
}

// text checks that v is a string, and a non-empty one when nonEmpty is set
// (JSON Schema's minLength: 1). It reports and returns false otherwise. A
// placeholder that stands for content portico does not read passes, so
// callers check formats only of real strings.
func (c *checker) text(rule string, p Path, v *Value, nonEmpty bool) bool {
	if c.placeholder(v) {
		return true
	}
	if v.Kind != String {
		if nonEmpty {
			c.wrongType(rule, p, v, "a non-empty string")
		} else {
			c.wrongType(rule, p, v, "a string")
		}
		return false
	}
	if nonEmpty && v.Str == "" {
		c.fail(rule, p, v, field(p)+" must not be empty")
		return false
	}
	return true
}

// textOK is text without reporting, so that callers build the path of a
// value only when it fails.
func (c *checker) textOK(v *Value, nonEmpty bool) bool {
	return v.Kind == String && (!nonEmpty || v.Str != "") || c.placeholder(v)
}

// object checks that v is a mapping. It returns false for a placeholder
// left unread, so that callers do not look inside it.
func (c *checker) object(rule string, p Path, v *Value) bool {
	if c.placeholder(v) {
		c.textPlaceholder(rule, p, v, "an object")
		return false
	}
	if v.Kind != Map {
		c.wrongType(rule, p, v, "an object")
		return false
	}
	return true
}

// list checks that v is a sequence; a placeholder left unread is not
// looked inside either.
func (c *checker) list(rule string, p Path, v *Value) bool {
	if c.placeholder(v) {
		c.textPlaceholder(rule, p, v, "an array")
		return false
	}
	if v.Kind != List {
		c.wrongType(rule, p, v, "an array")
		return false
	}
	return true
}

// stringOrBool checks a Template condition (`if`, `when`).
func (c *checker) stringOrBool(rule string, p Path, v *Value) {
	if v.Kind != String && v.Kind != Bool {
		c.wrongType(rule, p, v, "a string or a boolean")
	}
}

// placeholder reports a value that stands for content portico does not
// read, which rules pass whatever they expect there. After Resolve, that
// is a placeholder it left as Backstage would fetch it (a URL); a
// document that was not resolved keeps every placeholder, all of which
// Backstage replaces before it validates.
func (c *checker) placeholder(v *Value) bool {
	if c.d.resolved {
		return v.opaque
	}
	return isPlaceholder(v)
}

// textPlaceholder reports a $text placeholder left unread where want is
// expected: whatever its URL holds, Backstage substitutes a string.
// $json and $yaml may give any value, so they pass. A placeholder whose
// file portico failed to read is already reported.
func (c *checker) textPlaceholder(rule string, p Path, v *Value, want string) {
	if f := v.Fields[0]; f.Key == "$text" && (!c.d.resolved || isURL(f.Value.Str)) {
		c.fail(rule, p, v, fmt.Sprintf("%s must be %s but found a $text placeholder, which Backstage replaces with text", field(p), want))
	}
}

// isPlaceholder reports a Backstage placeholder such as `{$text: ./api.yaml}`:
// a mapping with a single $text, $json or $yaml key whose value is a string,
// which Backstage's PlaceholderProcessor replaces by the content it points
// at before any validation. Other $ keys ($ref of a JSON Schema), several
// keys, or a value that is not a string are data to Backstage.
func isPlaceholder(v *Value) bool {
	if v.Kind != Map || len(v.Fields) != 1 || v.Fields[0].Value.Kind != String {
		return false
	}
	switch v.Fields[0].Key {
	case "$text", "$json", "$yaml":
		return true
	}
	return false
}
