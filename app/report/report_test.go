package report

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
)

var update = flag.Bool("update", false, "rewrite golden files")

// weirdPath has every character that needs escaping somewhere: ":" and ","
// in workflow command properties, "%" everywhere, " " in URIs, "_" in
// Markdown.
const weirdPath = "weird dir/svc:1,2%_x/catalog-info.yaml"

const (
	sevError   = descriptor.SeverityError
	sevWarning = descriptor.SeverityWarning
)

func finding(sev descriptor.Severity, rule string, line, col int, path, msg string) descriptor.Finding {
	return descriptor.Finding{Severity: sev, Rule: rule, Message: msg, Line: line, Column: col, Path: path}
}

// results is one run exercised by every golden file: valid and invalid
// documents, file-level findings with and without a position, a warning,
// an empty file, and user content that needs escaping.
func results() []File {
	return []File{
		{Path: "a/catalog-info.yaml", Documents: []Document{
			{Index: 1, Line: 1, Kind: "Component", Namespace: "default", Name: "x", Findings: []descriptor.Finding{
				finding(sevError, "backstage/metadata.name", 4, 9, "metadata.name",
					`"metadata.name" is not valid; expected 1-63 characters of [A-Za-z0-9-_.]`),
				finding(sevWarning, "backstage/metadata.description", 3, 3, "metadata", "description is missing"),
			}},
			{Index: 2, Line: 12, Kind: "System", Namespace: "default", Name: "platform", Valid: true},
		}},
		{Path: "b/catalog-info.yaml", Documents: []Document{
			{Index: 0, Findings: []descriptor.Finding{
				finding(sevError, "yaml/syntax", 3, 7, "",
					"mapping values are not allowed in this context\nat line 3, column 7"),
			}},
		}},
		{Path: "c/unreadable.yaml", Documents: []Document{
			{Index: 0, Findings: []descriptor.Finding{
				finding(sevError, "io/read", 0, 0, "", "open c/unreadable.yaml: permission denied"),
			}},
		}},
		{Path: "empty.yaml"},
		{Path: weirdPath, Documents: []Document{
			{Index: 1, Line: 1, Kind: "Component", Namespace: "default", Name: "<script>alert(1)</script>", Findings: []descriptor.Finding{
				finding(sevError, "org/owner:team,known", 7, 12, "spec.owner",
					"owner `<script>alert(1)</script>` | is *not* a [team]\r\nat 100% sure, really: yes, \x1b[31mred\x1b[0m"),
			}},
		}},
		{Path: "valid/catalog-info.yaml", Documents: []Document{
			{Index: 1, Line: 1, Kind: "API", Namespace: "payments", Name: "cards", Valid: true,
				Findings: []descriptor.Finding{}},
		}},
	}
}

// run renders files in format. For github it also returns the step summary
// and output files it wrote.
type run struct {
	out, stepSummary, output string
}

func render(t *testing.T, format string, files []File) run {
	t.Helper()
	dir := t.TempDir()
	opts := Options{
		StepSummaryPath: filepath.Join(dir, "step-summary.md"),
	}
	var buf bytes.Buffer
	w, err := New(format, &buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	var s Summary
	for i := range files {
		s.Add(&files[i])
		if err := w.File(&files[i]); err != nil {
			t.Fatalf("File(%s): %v", files[i].Path, err)
		}
	}
	if err := w.Close(s); err != nil {
		t.Fatalf("Close: %v", err)
	}
	output := filepath.Join(dir, "output")
	if err := WriteStepOutputs(output, s); err != nil {
		t.Fatal(err)
	}
	return run{out: buf.String(), stepSummary: readIfExists(t, opts.StepSummaryPath), output: readIfExists(t, output)}
}

func readIfExists(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update if the change is right)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	runs := map[string][]File{"results": results(), "empty": nil}
	for name, files := range runs {
		for _, format := range Formats() {
			t.Run(name+"/"+format, func(t *testing.T) {
				t.Parallel()
				r := render(t, format, files)
				golden(t, name+"/"+format, r.out)
				if format != FormatGitHub {
					return
				}
				golden(t, name+"/step-summary.md", r.stepSummary)
				golden(t, name+"/github-output", r.output)
			})
		}
	}
}

func TestNewDefaultsToText(t *testing.T) {
	t.Parallel()
	if got, want := render(t, "", results()).out, render(t, FormatText, results()).out; got != want {
		t.Errorf("format \"\" = %q, want the text format %q", got, want)
	}
}

func TestNewUnknownFormat(t *testing.T) {
	t.Parallel()
	_, err := New("xml", &bytes.Buffer{}, Options{})
	if err == nil || !strings.Contains(err.Error(), `"xml"`) {
		t.Errorf("New(xml) error = %v, want one naming the format", err)
	}
}

// failWriter fails every write, like a closed pipe.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestWriteErrorsReachTheCaller(t *testing.T) {
	t.Parallel()
	for _, format := range Formats() {
		w, err := New(format, failWriter{}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var s Summary
		var errs []error
		for i, files := 0, results(); i < 200; i++ {
			f := &files[i%len(files)]
			s.Add(f)
			errs = append(errs, w.File(f))
		}
		errs = append(errs, w.Close(s))
		if err := errors.Join(errs...); err == nil || !strings.Contains(err.Error(), "broken pipe") {
			t.Errorf("%s: errors = %v, want broken pipe", format, err)
		}
	}
}
