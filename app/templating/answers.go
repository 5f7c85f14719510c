package templating

import (
	"bytes"
	"fmt"
	"regexp"

	"github.com/Masterminds/semver/v3"
	"gopkg.in/yaml.v3"

	"github.com/portico-dev/portico/app/descriptor"
)

// AnswersPath is where a generated repository records how it was rendered.
const AnswersPath = ".portico/answers.yaml"

// AnswersSchemaVersion is the version of the answers file's shape that
// this code writes and reads.
const AnswersSchemaVersion = 1

// Answers is the content of .portico/answers.yaml:
//
//	schema_version: 1            # the shape of this file
//	template: service            # the template's metadata.name
//	version: 1.4.0               # the template's version rendered
//	platform_commit: 9f2c...     # the platform configuration's commit (absent when unknown)
//	values:                      # the parameter values, secret ones left out
//	  name: payments
//
// Upgrades render the recorded version at the recorded commit with these
// values, so a repository's owner may edit values to change what the next
// upgrade renders.
type Answers struct {
	SchemaVersion  int            `yaml:"schema_version"`
	Template       string         `yaml:"template"`
	Version        string         `yaml:"version"`
	PlatformCommit string         `yaml:"platform_commit,omitempty"`
	Values         map[string]any `yaml:"values"`
}

const answersHeader = "# Written by portico when this repository was rendered from a template.\n" +
	"# Template upgrades render with these values; secret parameters are never stored here.\n"

// Marshal writes the answers file: the same answers give the same bytes.
func (a *Answers) Marshal() ([]byte, error) {
	c := *a
	if c.Values == nil {
		c.Values = map[string]any{}
	}
	var b bytes.Buffer
	b.WriteString(answersHeader)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&c); err != nil {
		return nil, fmt.Errorf("write answers: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("write answers: %w", err)
	}
	return b.Bytes(), nil
}

// AnswersError is a problem in an answers file, at a line and column.
type AnswersError struct {
	Line, Column int
	Message      string
}

func (e *AnswersError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", AnswersPath, e.Line, e.Column, e.Message)
}

// maxAnswersBytes caps the answers file read from a repository.
const maxAnswersBytes = 256 << 10

var commitID = regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`)

// ParseAnswers reads an answers file strictly: one mapping with exactly
// the known keys, schema_version 1, a template name, a semantic version,
// a full commit id when one is recorded and values as a mapping. Errors are
// *AnswersError with the line at fault; no input panics.
func ParseAnswers(data []byte) (*Answers, error) {
	f := descriptor.Parse(data, maxAnswersBytes)
	if len(f.Findings) > 0 {
		return nil, answersFinding(f.Findings[0])
	}
	var roots []*descriptor.Document
	for _, d := range f.Documents {
		if len(d.Findings) > 0 {
			return nil, answersFinding(d.Findings[0])
		}
		roots = append(roots, d)
	}
	switch len(roots) {
	case 0:
		return nil, &AnswersError{Line: 1, Column: 1, Message: "the answers file is empty"}
	case 1:
	default:
		return nil, &AnswersError{Line: roots[1].Line, Column: 1, Message: "the answers file holds one YAML document"}
	}
	return readAnswers(roots[0].Root)
}

func answersFinding(f descriptor.Finding) error {
	return &AnswersError{Line: f.Line, Column: f.Column, Message: f.Message}
}

func answersErr(v *descriptor.Value, format string, a ...any) error {
	return &AnswersError{Line: max(v.Line, 1), Column: max(v.Column, 1), Message: fmt.Sprintf(format, a...)}
}

func readAnswers(root *descriptor.Value) (*Answers, error) {
	known := map[string]bool{"schema_version": true, "template": true, "version": true, "platform_commit": true, "values": true}
	for _, fl := range root.Fields {
		if !known[fl.Key] {
			return nil, &AnswersError{Line: fl.Line, Column: fl.Column, Message: fmt.Sprintf("unknown key %q", fl.Key)}
		}
	}
	a := &Answers{}
	if err := answersSchema(root, a); err != nil {
		return nil, err
	}
	if err := answersIdentity(root, a); err != nil {
		return nil, err
	}
	vals := root.Get("values")
	if vals == nil || vals.Kind != descriptor.Map {
		return nil, answersErr(orRoot(vals, root), "values must be a mapping of parameter names to values")
	}
	a.Values, _ = vals.Interface().(map[string]any)
	return a, nil
}

func answersSchema(root *descriptor.Value, a *Answers) error {
	sv := root.Get("schema_version")
	if sv == nil || sv.Kind != descriptor.Number {
		return answersErr(orRoot(sv, root), "schema_version must be the number %d", AnswersSchemaVersion)
	}
	if sv.Num != AnswersSchemaVersion {
		return answersErr(sv, "schema_version %s is not one this portico reads (it reads %d): upgrade portico", sv.Str, AnswersSchemaVersion)
	}
	a.SchemaVersion = AnswersSchemaVersion
	return nil
}

func answersIdentity(root *descriptor.Value, a *Answers) error {
	name := root.Get("template")
	if s, ok := name.Text(); !ok || s == "" {
		return answersErr(orRoot(name, root), "template must be the template's name")
	}
	a.Template, _ = name.Text()
	ver := root.Get("version")
	s, ok := ver.Text()
	if !ok {
		return answersErr(orRoot(ver, root), "version must be the template version as a string, such as \"1.4.0\"")
	}
	if _, err := semver.StrictNewVersion(s); err != nil {
		return answersErr(ver, "version %q is not a semantic version MAJOR.MINOR.PATCH", s)
	}
	a.Version = s
	if c := root.Get("platform_commit"); c != nil {
		s, ok := c.Text()
		if !ok || !commitID.MatchString(s) {
			return answersErr(c, "platform_commit must be a full commit id (40 lowercase hexadecimal digits)")
		}
		a.PlatformCommit = s
	}
	return nil
}

func orRoot(v, root *descriptor.Value) *descriptor.Value {
	if v != nil {
		return v
	}
	return root
}
