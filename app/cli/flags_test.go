package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseArgsInterspersed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		pos  string
		fmt  string
	}{
		{[]string{".", "--format", "json"}, ".", "json"},
		{[]string{"--format=json", "a", "b"}, "a,b", "json"},
		{[]string{"a", "--", "--format", "b"}, "a,--format,b", "text"},
		{[]string{"-", "--format", "sarif", "c"}, "-,c", "sarif"},
	}
	for _, c := range cases {
		fs := newFlagSet("t", "t", io.Discard)
		format := fs.String("format", "text", "")
		pos, err := parseArgs(fs, c.args)
		if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if strings.Join(pos, ",") != c.pos || *format != c.fmt {
			t.Errorf("%v: positional %v format %q, want %s %s", c.args, pos, *format, c.pos, c.fmt)
		}
	}
}

func TestRunValidateWritesActionOutputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": out}
	var stdout, stderr bytes.Buffer
	stdio := IO{In: strings.NewReader("kind: [\n"), Out: &stdout, Err: &stderr, Getenv: func(k string) string { return env[k] }}
	code, err := RunValidate(context.Background(), ValidateOptions{Paths: []string{"-"}, Format: "json", FailOn: "error"}, stdio)
	if err != nil || code != ExitFindings {
		t.Fatalf("code %d err %v", code, err)
	}
	data, _ := os.ReadFile(out)
	if string(data) != "errors=1\nwarnings=0\n" {
		t.Errorf("GITHUB_OUTPUT = %q", data)
	}
}

func TestFailOnWarning(t *testing.T) {
	t.Parallel()
	// A valid group without a description: the default bundle warns.
	src := "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: g}\nspec: {type: team, children: []}\n"
	for _, c := range []struct {
		failOn string
		want   int
	}{{"error", ExitOK}, {"warning", ExitFindings}} {
		stdio := IO{In: strings.NewReader(src), Out: io.Discard, Err: io.Discard, Getenv: func(string) string { return "" }}
		code, err := RunValidate(context.Background(), ValidateOptions{Paths: []string{"-"}, Format: "text", FailOn: c.failOn}, stdio)
		if err != nil || code != c.want {
			t.Errorf("--fail-on %s: code %d err %v, want %d", c.failOn, code, err, c.want)
		}
	}
}
