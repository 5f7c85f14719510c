package policy

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
)

const shapesPolicy = `package portico.shapes

deny contains "plain message"

deny contains {"msg": "string path", "path": "spec.owner"}

warn contains {"msg": "array path", "rule": "custom/rule", "path": ["metadata", "annotations", "a.b/c"]}

warn contains {"msg": "index path", "path": ["metadata", "links", 1, "url"]}

warn contains {"msg": "quoted path", "path": "metadata.annotations[\"a.b/c\"]"}

warn contains {"msg": "missing leaf", "path": "spec.nothing.deeper"}

warn contains {"msg": "empty path", "path": []}
`

const shapesDoc = `# leading comment
---
kind: Component
metadata:
  annotations:
    a.b/c: x
  links:
    - url: https://a.example
    - url: https://b.example
spec:
  owner: team-a
`

func TestEvalResultShapes(t *testing.T) {
	t.Parallel()
	fsys := bundle(
		"shapes.rego", shapesPolicy,
		"nested/deep.rego", "package portico.nested.deep\n\ndeny contains \"nested\" if input.kind == \"Component\"\n",
		"other.rego", "package other\n\ndeny contains \"not a portico package\"\n",
	)
	e, err := New(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Eval(context.Background(), parseOne(t, shapesDoc))
	if err != nil {
		t.Fatal(err)
	}
	E, W := descriptor.SeverityError, descriptor.SeverityWarning
	want := []descriptor.Finding{
		{Severity: E, Rule: "nested.deep", Message: "nested", Line: 2, Column: 1},
		{Severity: W, Rule: "shapes", Message: "empty path", Line: 2, Column: 1},
		{Severity: E, Rule: "shapes", Message: "plain message", Line: 2, Column: 1},
		{Severity: W, Rule: "custom/rule", Message: "array path", Line: 6, Column: 12, Path: `metadata.annotations["a.b/c"]`},
		{Severity: W, Rule: "shapes", Message: "quoted path", Line: 6, Column: 12, Path: `metadata.annotations["a.b/c"]`},
		{Severity: W, Rule: "shapes", Message: "index path", Line: 9, Column: 12, Path: "metadata.links[1].url"},
		{Severity: W, Rule: "shapes", Message: "missing leaf", Line: 10, Column: 1, Path: "spec.nothing.deeper"},
		{Severity: E, Rule: "shapes", Message: "string path", Line: 11, Column: 10, Path: "spec.owner"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings:\n%s", diffFindings(got, want))
	}
}

func diffFindings(got, want []descriptor.Finding) string {
	var b strings.Builder
	for i := range max(len(got), len(want)) {
		var g, w descriptor.Finding
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		mark := " "
		if g != w {
			mark = "!"
		}
		fmt.Fprintf(&b, "%s got  %+v\n  want %+v\n", mark, g, w)
	}
	return b.String()
}

func TestEvalRejectsMalformedResults(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"number":         `42`,
		"no msg":         `{"path": "spec"}`,
		"msg not string": `{"msg": 1}`,
		"rule not text":  `{"msg": "m", "rule": ["r"]}`,
		"path number":    `{"msg": "m", "path": 3}`,
		"path element":   `{"msg": "m", "path": ["spec", true]}`,
		"path index":     `{"msg": "m", "path": ["spec", 1.5]}`,
		"path syntax":    `{"msg": "m", "path": "spec[\"x"}`,
	}
	doc := parseOne(t, "kind: Component\nspec: {}\n")
	for name, elem := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e, err := New(context.Background(), bundle("bad.rego", "package portico.bad\n\ndeny contains "+elem+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.Eval(context.Background(), doc)
			if err == nil || !strings.Contains(err.Error(), "data.portico.bad.deny") {
				t.Errorf("Eval error = %v, want one naming data.portico.bad.deny", err)
			}
		})
	}
}

func TestNewReportsErrorsWithPosition(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, src, want string
	}{
		{"syntax", "package portico.a\n\ndeny contains msg if {\n", "a.rego:4: rego_parse_error"},
		{"unsafe variable", "package portico.a\n\ndeny contains msg if {\n\tx == 1\n}\n", "a.rego:3"},
		{"unknown function", "package portico.a\n\ndeny contains \"m\" if {\n\tnot_a_builtin(input)\n}\n", "a.rego:4"},
		{"complete deny", "package portico.a\n\ndeny := {\"m\"}\n", "a.rego:3: deny must be a partial set"},
		{"object warn", "package portico.a\n\nwarn[\"k\"] := \"m\"\n", "a.rego:3: warn.k must be a partial set"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(context.Background(), bundle("a.rego", c.src))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("New error = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestNewLeavesTestsOut(t *testing.T) {
	t.Parallel()
	fsys := bundle(
		"a.rego", "package portico.a\n\ndeny contains \"policy\" if input.kind == \"Component\"\n",
		"a_test.rego", "package portico.a\n\ndeny contains \"from a test file\"\n\ntest_x if true\n",
	)
	e, err := New(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Eval(context.Background(), parseOne(t, "kind: Component\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Message != "policy" {
		t.Errorf("findings = %+v, want only the policy's", got)
	}
}

func TestEmptyBundleAndUnparsedDocument(t *testing.T) {
	t.Parallel()
	e, err := New(context.Background(), bundle("lib.rego", "package portico.lib\n\nx := 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := e.Eval(context.Background(), parseOne(t, "kind: A\n")); err != nil || got != nil {
		t.Errorf("empty bundle: %v, %v", got, err)
	}
	got, err := defaultEngine(t).Eval(context.Background(), &descriptor.Document{Index: 1, Line: 1})
	if err != nil || got != nil {
		t.Errorf("unparsed document: %v, %v", got, err)
	}
}

func TestEvalHonoursCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := defaultEngine(t).Eval(ctx, parseOne(t, cleanComponent)); err == nil {
		t.Error("Eval with a cancelled context succeeded")
	}
}

func TestWithPrint(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	src := "package portico.p\n\ndeny contains \"m\" if {\n\tprint(\"kind is\", input.kind)\n}\n"
	e, err := New(context.Background(), bundle("p.rego", src), WithPrint(&out))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Eval(context.Background(), parseOne(t, "kind: Component\n")); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "p.rego:4: kind is Component\n"; got != want {
		t.Errorf("print output = %q, want %q", got, want)
	}
}

// The engine serves every file of a run from many goroutines at once; run
// with -race.
func TestEvalConcurrent(t *testing.T) {
	t.Parallel()
	e := defaultEngine(t)
	docs := []*descriptor.Document{
		parseOne(t, cleanComponent),
		parseOne(t, edit("owner: team-payments", "owner: user:jane")),
		parseOne(t, edit("  system: checkout\n", "")),
		parseOne(t, "kind: System\nspec: {owner: team-a}\n"),
	}
	want := make([][]descriptor.Finding, len(docs))
	for i, d := range docs {
		var err error
		if want[i], err = e.Eval(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 50 {
				n := (g + i) % len(docs)
				got, err := e.Eval(context.Background(), docs[n])
				if err != nil || !reflect.DeepEqual(got, want[n]) {
					t.Errorf("goroutine %d doc %d: %+v, %v; want %+v", g, n, got, err, want[n])
					return
				}
			}
		})
	}
	wg.Wait()
}
