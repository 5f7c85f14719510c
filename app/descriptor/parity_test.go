package descriptor

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// repoRoot is where the verdicts' paths start.
const repoRoot = "../.."

type verdict struct {
	File  string `json:"file"`
	Doc   int    `json:"doc"`
	Valid bool   `json:"valid"`
	Error string `json:"error"`
}

func readVerdicts(t testing.TB) map[string][]verdict {
	t.Helper()
	return readVerdictFile(t, "testdata/parity/verdicts.jsonl")
}

// readVerdictFile reads a verdicts.jsonl, keyed by file.
func readVerdictFile(t testing.TB, name string) map[string][]verdict {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	byFile := map[string][]verdict{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v verdict
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("verdicts.jsonl: %v", err)
		}
		byFile[v.File] = append(byFile[v.File], v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return byFile
}

// parseValidate is what the parity test, the fuzz target and the benchmark
// run: Parse, then Validate on every document.
func parseValidate(data []byte) File {
	f := Parse(data, 0)
	for _, d := range f.Documents {
		Validate(d)
	}
	return f
}

// TestParityWithBackstage checks, for every document of the parity corpus,
// that portico's verdict is Backstage's (testdata/parity/verdicts.jsonl,
// made by testdata/parity/regen.sh), and that an invalid document has a
// located finding.
func TestParityWithBackstage(t *testing.T) {
	t.Parallel()
	valid, invalid := 0, 0
	for file, verdicts := range readVerdicts(t) {
		data, err := os.ReadFile(filepath.Join(repoRoot, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range verdicts {
			if want.Valid {
				valid++
			} else {
				invalid++
			}
		}
		compareVerdicts(t, file, parseValidate(data), verdicts)
	}
	t.Logf("parity: %d documents, %d valid, %d invalid", valid+invalid, valid, invalid)
}

// compareVerdicts reports every document of file whose verdict differs
// from Backstage's, and returns how many documents it compared.
func compareVerdicts(t *testing.T, file string, f File, verdicts []verdict) int {
	t.Helper()
	got := docVerdicts(f)
	for _, want := range verdicts {
		g, ok := got[want.Doc]
		delete(got, want.Doc)
		switch {
		case !ok:
			t.Errorf("%s doc %d: portico saw no document; Backstage says valid=%v (%s)", file, want.Doc, want.Valid, want.Error)
		case g.valid != want.Valid:
			t.Errorf("%s doc %d: portico valid=%v %v; Backstage valid=%v (%s)", file, want.Doc, g.valid, g.findings, want.Valid, want.Error)
		case !g.valid && !hasLocatedError(g.findings):
			t.Errorf("%s doc %d: invalid without a located error: %v", file, want.Doc, g.findings)
		}
	}
	for doc, g := range got {
		t.Errorf("%s doc %d: portico saw a document Backstage skipped (valid=%v %v)", file, doc, g.valid, g.findings)
	}
	return len(verdicts)
}

type docVerdict struct {
	valid    bool
	findings []Finding
}

// docVerdicts keys portico's verdicts by document index, 0 for the file.
func docVerdicts(f File) map[int]docVerdict {
	out := map[int]docVerdict{}
	if len(f.Findings) > 0 {
		out[0] = docVerdict{valid: false, findings: f.Findings}
	}
	for _, d := range f.Documents {
		out[d.Index] = docVerdict{valid: d.Valid(), findings: d.Findings}
	}
	return out
}

func hasLocatedError(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == SeverityError && f.Line >= 1 && f.Column >= 1 {
			return true
		}
	}
	return false
}
