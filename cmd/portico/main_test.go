package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// binary is the real portico binary, built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "portico-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "portico")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build portico: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run starts the binary in the repository root and returns its output.
func run(t *testing.T, stdin string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run portico: %v", err)
	}
	return o.String(), e.String(), code
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestValidateExamplesText(t *testing.T) {
	t.Parallel()
	out, _, code := run(t, "", nil, "validate", "testdata/examples")
	if code != 1 {
		t.Errorf("exit code %d, want 1 (the web example is broken)", code)
	}
	golden(t, "examples.text.golden", out)
}

func TestValidateExamplesJSON(t *testing.T) {
	t.Parallel()
	out, _, _ := run(t, "", nil, "validate", "--format", "json", "testdata/examples")
	var rep struct {
		Files []struct {
			Path      string `json:"path"`
			Documents []struct {
				Name     string            `json:"name"`
				Valid    bool              `json:"valid"`
				Findings []json.RawMessage `json:"findings"`
			} `json:"documents"`
		} `json:"files"`
		Summary struct{ Files, Documents, Errors, Warnings int } `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json output does not decode: %v\n%s", err, out)
	}
	if rep.Summary.Files != 3 || rep.Summary.Documents != 5 || len(rep.Files) != 3 {
		t.Errorf("summary %+v with %d files, want 3 files and 5 documents", rep.Summary, len(rep.Files))
	}
	for _, f := range rep.Files {
		for _, d := range f.Documents {
			if wantValid := !strings.HasPrefix(f.Path, "testdata/examples/web"); d.Valid != wantValid {
				t.Errorf("%s %s valid=%v, want %v", f.Path, d.Name, d.Valid, wantValid)
			}
		}
	}
}

func TestValidateStdinAndExitCodes(t *testing.T) {
	t.Parallel()
	good := "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: g, description: d}\nspec: {type: team, children: []}\n"
	cases := []struct {
		name  string
		stdin string
		args  []string
		code  int
	}{
		{"clean stdin", good, []string{"validate", "-"}, 0},
		{"broken stdin", "kind: [", []string{"validate", "-"}, 1},
		{"backstage-only", good, []string{"validate", "--backstage-only", "-"}, 0},
		{"missing file", "", []string{"validate", "no/such/catalog-info.yaml"}, 2},
		{"bad format", good, []string{"validate", "--format", "xml", "-"}, 2},
		{"bad fail-on", good, []string{"validate", "--fail-on", "info", "-"}, 2},
		{"unknown command", "", []string{"frobnicate"}, 2},
		{"help", "", []string{"validate", "--help"}, 0},
		{"version", "", []string{"version"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := run(t, c.stdin, nil, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out, errOut)
			}
		})
	}
}
