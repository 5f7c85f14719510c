package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/portico-dev/portico/app/descriptor"
)

// jsonWriter streams one JSON object:
//
//	{"files":[
//	{"path":...,"documents":[...]},
//	{"path":...,"documents":[...]}
//	],"summary":{...}}
//
// Compact, with one file per line, so that the output is written as files
// come, diffs well, and line tools (grep, head) still work on it. Arrays are
// never null: tools that read it can range over them without checks.
type jsonWriter struct {
	w     *bufio.Writer
	files int
}

func newJSON(w io.Writer) *jsonWriter {
	return &jsonWriter{w: bufio.NewWriter(w)}
}

func (j *jsonWriter) File(f *File) error {
	b, err := json.Marshal(withArrays(f))
	if err != nil {
		return fmt.Errorf("encode %s: %w", f.Path, err)
	}
	sep := ",\n"
	if j.files == 0 {
		sep = `{"files":[` + "\n"
	}
	j.files++
	j.w.WriteString(sep)
	if _, err := j.w.Write(b); err != nil {
		return fmt.Errorf("write %s: %w", f.Path, err)
	}
	return nil
}

func (j *jsonWriter) Close(s Summary) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode summary: %w", err)
	}
	if j.files == 0 {
		j.w.WriteString(`{"files":[`)
	} else {
		j.w.WriteString("\n")
	}
	fmt.Fprintf(j.w, "],\"summary\":%s}\n", b)
	if err := j.w.Flush(); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// withArrays returns f with empty slices where f has nil ones, so that they
// encode as [] rather than null. f itself is left alone.
func withArrays(f *File) File {
	out := File{Path: f.Path, Documents: make([]Document, len(f.Documents))}
	for i, d := range f.Documents {
		if d.Findings == nil {
			d.Findings = []descriptor.Finding{}
		}
		out.Documents[i] = d
	}
	return out
}
