package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

// jsonReport is the shape other tools read; decoding into it with unknown
// fields refused checks the shape as well as the values.
type jsonReport struct {
	Files   []File  `json:"files"`
	Summary Summary `json:"summary"`
}

func decodeJSONReport(t *testing.T, out string) jsonReport {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var r jsonReport
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("output is not the JSON report: %v\n%s", err, out)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("output continues after the JSON value: %v", err)
	}
	return r
}

func TestJSONDecodesToTheInput(t *testing.T) {
	t.Parallel()
	in := results()
	r := decodeJSONReport(t, render(t, FormatJSON, in).out)
	var want Summary
	for i := range in {
		want.Add(&in[i])
	}
	if r.Summary != want {
		t.Errorf("summary = %+v, want %+v", r.Summary, want)
	}
	var got Summary
	for i := range r.Files {
		got.Add(&r.Files[i])
	}
	if got != want {
		t.Errorf("files decoded count %+v, want %+v", got, want)
	}
	if len(r.Files) != len(in) || r.Files[4].Path != weirdPath {
		t.Errorf("files = %d, [4] = %q; want %d in input order", len(r.Files), r.Files[4].Path, len(in))
	}
}

func TestJSONArraysAreNeverNull(t *testing.T) {
	t.Parallel()
	for _, files := range [][]File{nil, results()} {
		out := render(t, FormatJSON, files).out
		if strings.Contains(out, "null") {
			t.Errorf("output has null:\n%s", out)
		}
		var raw struct {
			Files []struct {
				Documents []struct {
					Findings []json.RawMessage `json:"findings"`
				} `json:"documents"`
			} `json:"files"`
		}
		if err := json.Unmarshal([]byte(out), &raw); err != nil {
			t.Fatal(err)
		}
	}
}

func TestJSONLeavesTheInputAlone(t *testing.T) {
	t.Parallel()
	f := File{Path: "x.yaml", Documents: []Document{{Index: 1}}}
	w, _ := New(FormatJSON, &bytes.Buffer{}, Options{})
	if err := w.File(&f); err != nil {
		t.Fatal(err)
	}
	if f.Documents[0].Findings != nil {
		t.Errorf("File changed the caller's document: %+v", f.Documents[0])
	}
}

func TestJSONOneFilePerLine(t *testing.T) {
	t.Parallel()
	in := results()
	lines := strings.Split(strings.TrimSuffix(render(t, FormatJSON, in).out, "\n"), "\n")
	// The opening, one line per file, the closing with the summary.
	if len(lines) != len(in)+2 {
		t.Fatalf("%d lines, want %d", len(lines), len(in)+2)
	}
	for i, line := range lines[1 : len(lines)-1] {
		var f File
		if err := json.Unmarshal([]byte(strings.TrimSuffix(line, ",")), &f); err != nil || f.Path != in[i].Path {
			t.Errorf("line %d = %q (%v), want the file %s", i+2, line, err, in[i].Path)
		}
	}
}
