package descriptor

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

const apiHead = "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: orders\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n"

const templateHead = "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: svc\nspec:\n  type: service\n"

// want is one expected finding: its rule and line.
type want struct {
	rule string
	line int
}

// TestResolvePlaceholders checks placeholder resolution against what
// Backstage's PlaceholderProcessor does (see RULES.md, Placeholders): the
// descriptor is at svc/catalog-info.yaml in a repository holding files.
func TestResolvePlaceholders(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"svc/openapi.yaml":   "openapi: 3.0.0\ninfo: {title: orders}\n",
		"svc/api.json":       `{"openapi": "3.0.0", "paths": {}}`,
		"svc/string.json":    `"an OpenAPI document as a JSON string"`,
		"svc/bad.json":       `{"a": 1,}`,
		"svc/two.yaml":       "a: 1\n---\nb: 2\n",
		"svc/trailing.yaml":  "a: 1\n---\n",
		"svc/empty.yaml":     "# nothing\n",
		"svc/broken.yaml":    "a: [1\n",
		"svc/step.yaml":      "id: log\naction: debug:log\n",
		"svc/badstep.yaml":   "id: log\nname: no action\n",
		"svc/nested.yaml":    "$text: ./openapi.yaml\n",
		"svc/desc.txt":       "Orders, as a service.\n",
		"svc/link.yaml":      "title: Docs without a url\n",
		"svc/big.txt":        strings.Repeat("x", PlaceholderMaxBytes+1),
		"shared/common.yaml": "openapi: 3.0.0\n",
		"shared/spec.txt":    "text at the root\n",
		"catalog-info.yaml":  "outside the service directory\n",
	}
	cases := []struct {
		name string
		doc  string
		want []want // nil: valid
	}{
		{"$text of a file is a string", apiHead + "  definition:\n    $text: ./openapi.yaml\n", nil},
		{"$text in flow style", apiHead + "  definition: {$text: openapi.yaml}\n", nil},
		{"$yaml gives an object, which definition refuses", apiHead + "  definition:\n    $yaml: ./openapi.yaml\n",
			[]want{{"backstage/spec.definition", 10}}},
		{"$json gives an object", apiHead + "  definition: {$json: ./api.json}\n", []want{{"backstage/spec.definition", 9}}},
		{"$json of a JSON string is a string", apiHead + "  definition: {$json: ./string.json}\n", nil},
		{"invalid JSON", apiHead + "  definition: {$json: ./bad.json}\n", []want{{RulePlaceholder, 9}}},
		{"a missing file is an error at the placeholder", apiHead + "  definition:\n    $text: ./nope.yaml\n", []want{{RulePlaceholder, 10}}},
		{"a directory is not a file", apiHead + "  definition: {$text: ../shared}\n", []want{{RulePlaceholder, 9}}},
		{"out of the repository", apiHead + "  definition: {$text: ../../etc/passwd}\n", []want{{RulePlaceholder, 9}}},
		{"from the repository's root", apiHead + "  definition: {$text: /shared/spec.txt}\n", nil},
		{"up a directory, inside the repository", apiHead + "  definition: {$text: ../shared/spec.txt}\n", nil},
		{"the root itself cannot be climbed out of", apiHead + "  definition: {$text: /../catalog-info.yaml}\n", nil},
		{"a URL is not fetched and passes", apiHead + "  definition:\n    $text: https://petstore.swagger.io/v2/swagger.json\n", nil},
		{"a $yaml URL passes too", apiHead + "  definition: {$yaml: 'https://example.com/api.yaml'}\n", nil},
		{"two $ keys are data", apiHead + "  definition: {$text: ./openapi.yaml, $yaml: ./openapi.yaml}\n", []want{{"backstage/spec.definition", 9}}},
		{"an unknown $ key is data", apiHead + "  definition: {$ref: ./openapi.yaml}\n", []want{{"backstage/spec.definition", 9}}},
		{"a value that is not a string is data", apiHead + "  definition: {$text: [./openapi.yaml]}\n", []want{{"backstage/spec.definition", 9}}},
		{"placeholders under a mapping with a $ key stay", strings.Replace(apiHead, "spec:\n", "spec:\n  $schema: x\n", 1) + "  definition: {$text: ./openapi.yaml}\n",
			[]want{{"backstage/spec.definition", 10}}},
		{"placeholders in the file read are data", apiHead + "  definition: {$yaml: ./nested.yaml}\n", []want{{"backstage/spec.definition", 9}}},
		{"$yaml of two documents", apiHead + "  definition: {$yaml: ./two.yaml}\n", []want{{RulePlaceholder, 9}}},
		{"$yaml with an empty document after", apiHead + "  definition: {$yaml: ./trailing.yaml}\n", []want{{RulePlaceholder, 9}}},
		{"$yaml of no document", apiHead + "  definition: {$yaml: ./empty.yaml}\n", []want{{RulePlaceholder, 9}}},
		{"$yaml with a syntax error", apiHead + "  definition: {$yaml: ./broken.yaml}\n", []want{{RulePlaceholder, 9}}},
		{"over the size cap", apiHead + "  definition: {$text: ./big.txt}\n", []want{{RulePlaceholder, 9}}},
		{"in metadata", strings.Replace(apiHead, "  name: orders\n", "  name: orders\n  description: {$text: ./desc.txt}\n", 1) + "  definition: x\n", nil},
		{"a step read from a file", templateHead + "  steps:\n    - $yaml: ./step.yaml\n", nil},
		{"a step read from a file lacks its action", templateHead + "  steps:\n    - id: a\n      action: debug:log\n    - $yaml: ./badstep.yaml\n",
			[]want{{"backstage/spec.steps", 10}}},
		{"a $text URL where an object is expected", strings.Replace(apiHead, "  name: orders\n", "  name: orders\n  links:\n    - $text: https://example.com/link\n", 1) + "  definition: x\n",
			[]want{{"backstage/metadata.links", 6}}},
		{"a $yaml URL where an object is expected is not looked into", strings.Replace(apiHead, "  name: orders\n", "  name: orders\n  links:\n    - $yaml: https://example.com/link.yaml\n", 1) + "  definition: x\n", nil},
		{"an object read from a file is checked inside", strings.Replace(apiHead, "  name: orders\n", "  name: orders\n  links:\n    - $yaml: ./link.yaml\n", 1) + "  definition: x\n",
			[]want{{"backstage/metadata.links", 6}}},
		{"an aliased placeholder", apiHead + "  definition: &d {$text: ./openapi.yaml}\n  x: *d\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := resolveAndValidate(t, c.doc, files)
			if len(got) != len(c.want) {
				t.Fatalf("findings %v, want %v", got, c.want)
			}
			for i, w := range c.want {
				if got[i].Rule != w.rule || got[i].Line != w.line || got[i].Column < 1 {
					t.Errorf("finding %d: %s at %d:%d (%s), want %s at line %d", i, got[i].Rule, got[i].Line, got[i].Column, got[i].Message, w.rule, w.line)
				}
			}
		})
	}
}

// resolveAndValidate parses doc as svc/catalog-info.yaml of a repository
// holding files, resolves its placeholders and validates it.
func resolveAndValidate(t *testing.T, doc string, files map[string]string) []Finding {
	t.Helper()
	fsys := fstest.MapFS{}
	for p, c := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(c)}
	}
	f := Parse([]byte(doc), 0)
	if len(f.Findings) > 0 || len(f.Documents) != 1 {
		t.Fatalf("parse: %v, %d documents", f.Findings, len(f.Documents))
	}
	d := f.Documents[0]
	if err := Resolve(context.Background(), d, "svc/catalog-info.yaml", FSFiles{FS: fsys}); err != nil {
		t.Fatal(err)
	}
	Validate(d)
	return d.Findings
}

// TestResolveSubstitutes checks the values substituted, not only the
// verdicts: text, parsed JSON and YAML, at the placeholder's position.
func TestResolveSubstitutes(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"a.txt":  {Data: []byte("line\n\xff")},
		"b.json": {Data: []byte(`{"k": [1, true, null, "s"], "k": {"last": "wins"}, "z": 1e400}`)},
		"c.yaml": {Data: []byte("k: [1, yes, ~, '2001-12-14']\n")},
	}
	doc := "kind: X\nspec:\n  t: {$text: a.txt}\n  j:\n    $json: b.json\n  y: [{$yaml: c.yaml}]\n"
	d := Parse([]byte(doc), 0).Documents[0]
	if err := Resolve(context.Background(), d, "catalog-info.yaml", FSFiles{FS: fsys}); err != nil {
		t.Fatal(err)
	}
	spec := d.Root.Get("spec")
	got := fmt.Sprint(spec.Interface())
	want := "map[j:map[k:map[last:wins] z:+Inf] t:line\n\ufffd y:[map[k:[1 yes <nil> 2001-12-14]]]]"
	if got != want {
		t.Errorf("spec = %q, want %q", got, want)
	}
	if j := spec.Get("j"); j.Line != 5 || j.Column != 5 || j.Get("k").Line != 5 {
		t.Errorf("$json value at %d:%d, want the placeholder's 5:5", j.Line, j.Column)
	}
	if keys := spec.Get("j").Fields; len(keys) != 2 || keys[0].Key != "k" {
		t.Errorf("JSON keys %v, want k then z", keys)
	}
}

// failingFiles fails as an API would.
type failingFiles struct{}

func (failingFiles) ReadFile(context.Context, string, int64) ([]byte, int64, error) {
	return nil, 0, fmt.Errorf("GitHub: 502 Bad Gateway")
}

// TestResolveReturnsReadErrors: a failure that is not the descriptor's
// (an API down) is an error for the caller to retry, not a finding.
func TestResolveReturnsReadErrors(t *testing.T) {
	t.Parallel()
	d := Parse([]byte(apiHead+"  definition: {$text: ./openapi.yaml}\n"), 0).Documents[0]
	err := Resolve(context.Background(), d, "catalog-info.yaml", failingFiles{})
	if err == nil || !strings.Contains(err.Error(), "502") || len(d.Findings) != 0 {
		t.Errorf("err %v, findings %v; want the read error and no finding", err, d.Findings)
	}
}
