// Package report renders validation results: text, JSON, GitHub workflow
// commands with a job summary, and SARIF. Writers stream: they take one
// file's result at a time, so memory stays flat however many files a run
// reads.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/portico-dev/portico/app/descriptor"
)

// File is the result for one input file. Findings that belong to no
// document are on a Document with Index 0.
type File struct {
	Path      string     `json:"path"`
	Documents []Document `json:"documents"`
}

// Document is the result for one YAML document (one entity).
type Document struct {
	Index     int                  `json:"index"`
	Line      int                  `json:"line"`
	Kind      string               `json:"kind"`
	Namespace string               `json:"namespace"`
	Name      string               `json:"name"`
	Valid     bool                 `json:"valid"`
	Findings  []descriptor.Finding `json:"findings"`
}

// Summary counts a whole run.
type Summary struct {
	Files     int `json:"files"`
	Documents int `json:"documents"`
	Errors    int `json:"errors"`
	Warnings  int `json:"warnings"`
}

// Add counts one file into the summary. Documents with Index 0 hold
// file-level findings and are not entities, so they are not counted as
// documents.
func (s *Summary) Add(f *File) {
	s.Files++
	for _, d := range f.Documents {
		if d.Index > 0 {
			s.Documents++
		}
		for _, x := range d.Findings {
			switch x.Severity {
			case descriptor.SeverityError:
				s.Errors++
			case descriptor.SeverityWarning:
				s.Warnings++
			}
		}
	}
}

// Writer receives results file by file, in input order, then the summary.
type Writer interface {
	File(f *File) error
	Close(s Summary) error
}

// The formats New accepts.
const (
	FormatText   = "text"
	FormatJSON   = "json"
	FormatGitHub = "github"
	FormatSARIF  = "sarif"
)

// Formats lists the formats New accepts, default first, for flag help.
func Formats() []string {
	return []string{FormatText, FormatJSON, FormatGitHub, FormatSARIF}
}

// Options configures the writers. Every field is optional; the zero value
// writes to w only.
type Options struct {
	// StepSummaryPath is the file named by $GITHUB_STEP_SUMMARY. The github
	// format appends a Markdown summary to it at Close.
	StepSummaryPath string
	// ToolVersion is written as SARIF's tool.driver.version when set.
	ToolVersion string
	// Rules describes the rule ids that findings carry, for SARIF's rule
	// list and the links of the job summary. Nil means portico's own
	// rules, linked to DocsBase.
	Rules *Rules
}

// New returns a Writer that renders results in format ("" means text) to w.
// Writers buffer w and flush it at Close, so Close must always be called.
func New(format string, w io.Writer, opts Options) (Writer, error) {
	switch format {
	case "", FormatText:
		return newText(w), nil
	case FormatJSON:
		return newJSON(w), nil
	case FormatGitHub:
		return newGitHub(w, opts), nil
	case FormatSARIF:
		return newSARIF(w, opts), nil
	}
	return nil, fmt.Errorf("unknown report format %q (want one of %s)", format, strings.Join(Formats(), ", "))
}
