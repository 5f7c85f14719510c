package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"

	"github.com/portico-dev/portico/app/descriptor"
)

// InformationURI is where SARIF readers send people to learn about the
// tool.
const InformationURI = "https://github.com/portico-dev/portico"

// SARIF 2.1.0, as GitHub code scanning reads it.
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
)

// sarifWriter streams one SARIF log with one run. The run's results come
// before its tool (key order is free in JSON), so that results are written
// as files come and the rules seen along the way are written at Close. Like
// the JSON format, it is compact with one result per line.
type sarifWriter struct {
	w       *bufio.Writer
	opts    Options
	rules   []string
	index   map[string]int
	results int
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

// sarifRule is a reportingDescriptor with the fields GitHub code scanning
// requires (id, shortDescription, fullDescription, help.text) and shows
// (help.markdown, helpUri).
type sarifRule struct {
	ID               string         `json:"id"`
	ShortDescription sarifMessage   `json:"shortDescription"`
	FullDescription  sarifMultiText `json:"fullDescription"`
	HelpURI          string         `json:"helpUri,omitempty"`
	Help             sarifMultiText `json:"help"`
}

// sarifMultiText is SARIF's multiformatMessageString: plain text, and
// Markdown for readers that render it.
type sarifMultiText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

func newSARIF(w io.Writer, opts Options) *sarifWriter {
	return &sarifWriter{w: bufio.NewWriter(w), opts: opts, index: map[string]int{}}
}

func (s *sarifWriter) File(f *File) error {
	for _, d := range f.Documents {
		for _, x := range d.Findings {
			b, err := json.Marshal(s.result(f.Path, x))
			if err != nil {
				return fmt.Errorf("encode result for %s: %w", f.Path, err)
			}
			s.separate()
			if _, err := s.w.Write(b); err != nil {
				return fmt.Errorf("write result: %w", err)
			}
		}
	}
	return nil
}

// separate writes what comes before a result: the log's opening before the
// first, a comma and newline before the others.
func (s *sarifWriter) separate() {
	if s.results == 0 {
		s.w.WriteString(s.opening() + "\n")
	} else {
		s.w.WriteString(",\n")
	}
	s.results++
}

// opening is the log up to the run's results array. yaml.v3, which the
// descriptor parser uses, counts columns in code points, not in SARIF's
// default UTF-16 code units.
func (s *sarifWriter) opening() string {
	return `{"$schema":"` + sarifSchema + `","version":"` + sarifVersion +
		`","runs":[{"columnKind":"unicodeCodePoints","results":[`
}

func (s *sarifWriter) Close(_ Summary) error {
	tool, err := json.Marshal(sarifTool{Driver: sarifDriver{
		Name:           "portico",
		Version:        s.opts.ToolVersion,
		InformationURI: InformationURI,
		Rules:          s.ruleList(),
	}})
	if err != nil {
		return fmt.Errorf("encode tool: %w", err)
	}
	if s.results == 0 {
		s.w.WriteString(s.opening())
	} else {
		s.w.WriteString("\n")
	}
	fmt.Fprintf(s.w, "],\"tool\":%s}]}\n", tool)
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("write tool: %w", err)
	}
	return nil
}

func (s *sarifWriter) result(p string, x descriptor.Finding) sarifResult {
	text := x.Message
	if text == "" {
		text = x.Rule // GitHub refuses a result without a message.
	}
	loc := sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifactURI(p)}}
	if x.Line > 0 {
		loc.Region = &sarifRegion{StartLine: x.Line, StartColumn: max(x.Column, 0)}
	}
	return sarifResult{
		RuleID:    x.Rule,
		RuleIndex: s.ruleIndex(x.Rule),
		Level:     sarifLevel(x.Severity),
		Message:   sarifMessage{Text: text},
		Locations: []sarifLocation{{PhysicalLocation: loc}},
	}
}

// ruleIndex numbers rules in the order they are first seen, which is the
// order Close lists them in.
func (s *sarifWriter) ruleIndex(rule string) int {
	i, ok := s.index[rule]
	if !ok {
		i = len(s.rules)
		s.index[rule] = i
		s.rules = append(s.rules, rule)
	}
	return i
}

func (s *sarifWriter) ruleList() []sarifRule {
	rules := make([]sarifRule, len(s.rules))
	for i, id := range s.rules {
		d, _ := s.opts.Rules.Lookup(id)
		rules[i] = sarifRuleOf(d)
	}
	return rules
}

// sarifRuleOf describes a rule for SARIF. A rule that nothing documents is
// described by its id, since GitHub refuses a rule without descriptions.
func sarifRuleOf(d RuleDoc) sarifRule {
	summary, md := d.Summary, d.Description
	if summary == "" {
		summary = d.ID
	}
	if md == "" {
		md = summary
	}
	r := sarifRule{
		ID:               d.ID,
		ShortDescription: sarifMessage{Text: summary},
		FullDescription:  sarifMultiText{Text: plainText(md), Markdown: md},
		Help:             sarifMultiText{Text: plainText(md), Markdown: md},
	}
	// A base from PORTICO_DOCS_URL may lack a scheme, and SARIF's helpUri
	// is an absolute URI.
	if isWebURL(d.URL) {
		r.HelpURI = d.URL
		r.Help.Text += "\n\nDocumentation: " + d.URL
		r.Help.Markdown += "\n\n[Documentation of `" + d.ID + "`](" + escapeURL(d.URL) + ")"
	}
	return r
}

func sarifLevel(s descriptor.Severity) string {
	switch s {
	case descriptor.SeverityError:
		return "error"
	case descriptor.SeverityWarning:
		return "warning"
	}
	return "note"
}

// artifactURI turns a file path into the relative URI reference SARIF
// wants: forward slashes, percent-encoded, and "./" before a first segment
// with a colon so that it is not read as a scheme.
func artifactURI(p string) string {
	if p == "" {
		return ""
	}
	u := url.URL{Path: path.Clean(filepath.ToSlash(p))}
	return u.String()
}
