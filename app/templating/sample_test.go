package templating

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
)

// sampleTemplate is a template whose parameters exercise every way a
// sample value is chosen.
const sampleTemplate = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: samples
  annotations:
    portico.dev/template-version: 1.0.0
spec:
  type: service
  parameters:
    - required: [name, repoUrl, owner, port, tier, tags]
      properties:
        name:
          type: string
          pattern: '^[a-z]+_[0-9]$'
        defaulted:
          type: string
          default: from-default
        exampled:
          type: string
          examples: [from-examples]
        tier:
          type: string
          enum: [gold, silver]
        email:
          type: string
          format: email
        long:
          type: string
          minLength: 12
        repoUrl:
          type: string
          ui:field: RepoUrlPicker
          ui:options:
            allowedHosts: [ghe.example.com]
        owner:
          type: string
          ui:field: OwnerPicker
        port:
          type: integer
          minimum: 1024
          maximum: 65535
        ratio:
          type: number
          exclusiveMaximum: 0
        flag:
          type: boolean
        tags:
          type: array
          minItems: 2
          items:
            type: string
        db:
          type: object
          properties:
            engine:
              type: string
              enum: [postgres]
    - properties:
        name:
          type: string
        later:
          type: [string, "null"]
  steps:
    - action: debug:log
      input:
        message: hi
`

func TestSampleValues(t *testing.T) {
	t.Parallel()
	fsys := platform(map[string]string{"templates/s/template.yaml": sampleTemplate})
	tp, f := Load(fsys, "templates/s/template.yaml")
	if tp == nil {
		t.Fatal(f)
	}
	got := SampleValues(tp)
	want := map[string]any{
		"name": "example_1", "defaulted": "from-default", "exampled": "from-examples", "tier": "gold",
		"email": "user@example.com", "long": "example/example", "repoUrl": "ghe.example.com?owner=example&repo=example",
		"owner": "group:default/example", "port": int64(1024), "ratio": -1.0, "flag": false,
		"tags": []any{"example", "example"}, "db": map[string]any{"engine": "postgres"}, "later": "example",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SampleValues =\n%#v\nwant\n%#v", got, want)
	}
	if _, err := tp.Values(got); err != nil {
		t.Errorf("the template refuses its own sample values: %v", err)
	}
}

func TestRenderSampleService(t *testing.T) {
	t.Parallel()
	s := serviceTemplate(t).RenderSample(context.Background(), os.DirFS("testdata/platform"))
	if s.Failure != nil {
		t.Fatalf("failure: %s", s.Failure)
	}
	if s.Values["name"] != "example" || s.Values["port"] != 8080.0 && s.Values["port"] != int64(8080) {
		t.Errorf("values = %v", s.Values)
	}
	var cat *SampleFile
	for i, f := range s.Files {
		if f.Path == "catalog-info.yaml" {
			cat = &s.Files[i]
		}
		if !strings.HasPrefix(f.Source, "templates/service/skeleton/") {
			t.Errorf("%s traced to %s, outside the skeleton", f.Path, f.Source)
		}
	}
	if cat == nil || cat.Source != "templates/service/skeleton/catalog-info.yaml" {
		t.Fatalf("files = %+v", s.Files)
	}
	if !strings.Contains(string(cat.Data), "name: example\n") || strings.Contains(string(cat.Data), SourceTemplateAnnotation) {
		t.Errorf("rendered catalog-info.yaml:\n%s", cat.Data)
	}
	if _, ok := s.Tree["check.sh"]; !ok {
		t.Error("the fetch:plain step did not run")
	}
	for line := 1; line <= 13; line++ {
		if got := cat.SourceLine(line); got != line {
			t.Errorf("rendered line %d maps to skeleton line %d", line, got)
		}
	}
}

// TestRenderSampleFailures: a template that does not render is reported
// where it breaks: the skeleton file and line, the step, or the
// parameters whose samples its schema refuses.
func TestRenderSampleFailures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		files    map[string]string
		file     string
		line     int
		contains string
	}{
		{"unknown filter in a skeleton file", map[string]string{
			"templates/a/template.yaml":         good("a"),
			"templates/a/skeleton/ok.yaml":      "ok: 1\n",
			"templates/a/skeleton/sub/bad.yaml": "a: 1\nb: ${{ values.name | nosuch }}\n",
		}, "templates/a/skeleton/sub/bad.yaml", 2, "nosuch"},
		{"url leaving the configuration", map[string]string{
			"templates/a/template.yaml": strings.Replace(good("a"), "./skeleton", "../../../${{ parameters.name }}", 1),
		}, "templates/a/template.yaml", -1, "leaves the platform configuration"},
		{"a required parameter without any sample its schema accepts", map[string]string{
			"templates/a/template.yaml": strings.Replace(good("a"), "{type: string}", "{type: string, pattern: '^zz[0-9]{5}$'}", 1),
			"templates/a/skeleton/x":    "",
		}, "templates/a/template.yaml", 0, "sample values refused"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fsys := platform(c.files)
			tp, f := Load(fsys, "templates/a/template.yaml")
			if tp == nil {
				t.Fatal(f)
			}
			if c.line < 0 {
				c.line = tp.Steps[0].Line
			}
			s := tp.RenderSample(context.Background(), fsys)
			if s.Failure == nil {
				t.Fatalf("rendered: %v", s.Tree.Paths())
			}
			if s.Failure.File != c.file || (c.line > 0 && s.Failure.Line != c.line) ||
				s.Failure.Rule != RuleRender || !strings.Contains(s.Failure.Message, c.contains) {
				t.Errorf("failure = %s", s.Failure)
			}
		})
	}
}

func TestSkeletonDirs(t *testing.T) {
	t.Parallel()
	tp := serviceTemplate(t)
	if got := tp.SkeletonDirs(); !reflect.DeepEqual(got, []string{"templates/service/skeleton"}) {
		t.Errorf("SkeletonDirs = %v", got)
	}
	if !tp.Holds("templates/service/skeleton/docs/index.md") || tp.Holds("templates/service/template.yaml") || tp.Holds("shared/ci/check.sh") {
		t.Error("Holds disagrees with SkeletonDirs")
	}
}

func TestLineMap(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name               string
		skeleton, rendered string
		want               []int
	}{
		{"in place", "a\nname: ${{ values.name }}\nc\n", "a\nname: x\nc\n", []int{1, 2, 3}},
		{"if block dropped", "a\n{% if values.x %}\nb\n{% endif %}\nc: ${{ values.c }}\nd\n", "a\nc: 1\nd\n", []int{1, 5, 6}},
		{"value spanning lines", "a\ndesc: ${{ values.d }}\nz\n", "a\ndesc: one\ntwo\nthree\nz\n", []int{1, 2, 2, 2, 3}},
		{"for loop", "tags:\n{% for t in values.tags %}\n  - ${{ t }}\n{% endfor %}\nend\n", "tags:\n  - a\n  - b\nend\n", []int{1, 3, 3, 5}},
		{"whole lines substituted", "a\n${{ values.x }}\n${{ values.y }}\nb\n", "a\n1\n2\nb\n", []int{1, 2, 3, 4}},
		{"a key moved past a dropped block", "m:\n{%- if values.o %}\n  d: ${{ values.o }}\n{%- endif %}\n  name: ${{ values.n }}!!\nspec:\n", "m:\n  d: x\n  name: n!!\nspec:\n", []int{1, 3, 5, 6}},
		{"CRLF", "a\r\nb: ${{ x }}\r\n", "a\nb: 1\n", []int{1, 2}},
		{"empty skeleton", "", "a\nb\n", []int{1, 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := lineMap([]byte(c.skeleton), []byte(c.rendered)); !reflect.DeepEqual(got, c.want) {
				t.Errorf("lineMap = %v, want %v", got, c.want)
			}
		})
	}
}

// TestSampleValuesBounded: nested arrays whose minItems multiply stay
// within the sample's bounds.
func TestSampleValuesBounded(t *testing.T) {
	t.Parallel()
	schema := map[string]any{"type": "string"}
	for range 10 {
		schema = map[string]any{"type": "array", "minItems": 100, "items": schema}
	}
	tp := &Template{Pages: []Page{{Schema: map[string]any{"properties": map[string]any{"deep": schema}}}}}
	var count func(v any) int
	count = func(v any) int {
		n := 1
		if l, ok := v.([]any); ok {
			for _, it := range l {
				n += count(it)
			}
		}
		return n
	}
	if n := count(SampleValues(tp)["deep"]); n > maxSampleValues+maxSampleDepth {
		t.Errorf("sample holds %d values", n)
	}
}

// FuzzLineMap: any skeleton and rendered text map every rendered line to
// a line of the skeleton, without panicking.
func FuzzLineMap(f *testing.F) {
	f.Add("a\n${{ x }}\nb\n", "a\n1\nb\n")
	f.Add("{% for t in x %}\n- ${{ t }}\n{% endfor %}\n", "- 1\n- 2\n")
	f.Add("", "a\nb")
	f.Fuzz(func(t *testing.T, skeleton, rendered string) {
		m := lineMap([]byte(skeleton), []byte(rendered))
		if len(m) != len(splitLines([]byte(rendered))) {
			t.Fatalf("%d lines mapped of %d", len(m), len(splitLines([]byte(rendered))))
		}
		n := max(len(splitLines([]byte(skeleton))), 1)
		for i, l := range m {
			if l < 1 || l > n {
				t.Fatalf("line %d maps to %d, outside 1..%d", i+1, l, n)
			}
		}
	})
}
