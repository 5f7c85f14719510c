package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
)

func TestGitHubEscaping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, data, property string
	}{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"%0A stays literal", "%250A stays literal", "%250A stays literal"},
		{"a\nb", "a%0Ab", "a%0Ab"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"k: v, w", "k: v, w", "k%3A v%2C w"},
		{"x\n::error::forged", "x%0A::error::forged", "x%0A%3A%3Aerror%3A%3Aforged"},
		{"\x1b[31mred", "\uFFFD[31mred", "\uFFFD[31mred"},
		{"tab\there", "tab\there", "tab\there"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := escapeData(tt.in); got != tt.data {
			t.Errorf("escapeData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := escapeProperty(tt.in); got != tt.property {
			t.Errorf("escapeProperty(%q) = %q, want %q", tt.in, got, tt.property)
		}
	}
}

func TestWorkflowCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		path string
		line int
		col  int
		sev  descriptor.Severity
		want string
	}{
		{"full", "a/c.yaml", 4, 9, "error", "::error file=a/c.yaml,line=4,col=9,title=r::m\n"},
		{"warning", "a/c.yaml", 4, 9, "warning", "::warning file=a/c.yaml,line=4,col=9,title=r::m\n"},
		{"no column", "a/c.yaml", 4, 0, "error", "::error file=a/c.yaml,line=4,title=r::m\n"},
		{"file level", "a/c.yaml", 0, 0, "error", "::error file=a/c.yaml,title=r::m\n"},
		{"unknown severity", "a/c.yaml", 1, 1, "info", "::notice file=a/c.yaml,line=1,col=1,title=r::m\n"},
		{"path escaped", "x:1,2/c.yaml", 1, 1, "error", "::error file=x%3A1%2C2/c.yaml,line=1,col=1,title=r::m\n"},
	}
	for _, tt := range tests {
		x := finding(tt.sev, "r", tt.line, tt.col, "", "m")
		if got := workflowCommand(tt.path, x); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestGitHubAppends checks that the step summary and outputs keep what
// earlier steps wrote: GitHub hands every step the same files.
func TestGitHubAppends(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	opts := Options{StepSummaryPath: filepath.Join(dir, "summary.md")}
	output := filepath.Join(dir, "output")
	for _, p := range []string{opts.StepSummaryPath, output} {
		if err := os.WriteFile(p, []byte("earlier\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	w, _ := New(FormatGitHub, &out, opts)
	sum := Summary{Files: 1, Errors: 2, Warnings: 3}
	if err := w.Close(sum); err != nil {
		t.Fatal(err)
	}
	if err := WriteStepOutputs(output, sum); err != nil {
		t.Fatal(err)
	}
	if got := readIfExists(t, output); got != "earlier\nerrors=2\nwarnings=3\n" {
		t.Errorf("output file = %q", got)
	}
	if got := readIfExists(t, opts.StepSummaryPath); !strings.HasPrefix(got, "earlier\n## ") {
		t.Errorf("step summary = %q, want the earlier content then ours", got)
	}
}

func TestGitHubWithoutFiles(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	w, _ := New(FormatGitHub, &out, Options{})
	in := results()
	for i := range in {
		if err := w.File(&in[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(Summary{}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "::error ") {
		t.Errorf("output = %q, want workflow commands", out.String())
	}
}

func TestGitHubReportsFileErrors(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "no", "such", "dir")
	w, _ := New(FormatGitHub, &bytes.Buffer{}, Options{StepSummaryPath: missing})
	if err := w.Close(Summary{}); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("Close = %v, want the step summary's error", err)
	}
	if err := WriteStepOutputs(missing, Summary{}); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("WriteStepOutputs = %v, want the output file's error", err)
	}
}
