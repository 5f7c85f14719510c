package templating

import (
	"os"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/tree"
)

var testAnnotations = []Annotation{{SourceTemplateAnnotation, "template:default/service"}, {VersionAnnotation, "1.2.0"}}

func TestAnnotateGolden(t *testing.T) {
	t.Parallel()
	in, err := os.ReadFile("testdata/annotate/input.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out, err := Annotate(in, testAnnotations)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "annotate/output.yaml", out)
}

func TestAnnotateLines(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"no annotations", "kind: Component\nmetadata:\n  name: a\nspec: {}\n",
			"kind: Component\nmetadata:\n  annotations:\n    backstage.io/source-template: template:default/service\n    portico.dev/template-version: 1.2.0\n  name: a\nspec: {}\n"},
		{"already there", "kind: System\nmetadata:\n  name: a\n  annotations:\n    backstage.io/source-template: template:default/service\n    portico.dev/template-version: \"1.2.0\"\n",
			"kind: System\nmetadata:\n  name: a\n  annotations:\n    backstage.io/source-template: template:default/service\n    portico.dev/template-version: \"1.2.0\"\n"},
		{"CRLF and four spaces", "kind: Component\r\nmetadata:\r\n    name: a\r\n",
			"kind: Component\r\nmetadata:\r\n    annotations:\r\n      backstage.io/source-template: template:default/service\r\n      portico.dev/template-version: 1.2.0\r\n    name: a\r\n"},
		{"other kinds untouched", "kind: Group\nmetadata:\n  name: a\n", "kind: Group\nmetadata:\n  name: a\n"},
		{"version written as a number is replaced", "kind: Component\nmetadata:\n  annotations:\n    portico.dev/template-version: 1.2\n    backstage.io/source-template: template:default/service\n",
			"kind: Component\nmetadata:\n  annotations:\n    portico.dev/template-version: 1.2.0\n    backstage.io/source-template: template:default/service\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			out, err := Annotate([]byte(c.in), testAnnotations)
			if err != nil || string(out) != c.want {
				t.Errorf("Annotate:\n%s\nwant:\n%s\n(%v)", out, c.want, err)
			}
		})
	}
}

func TestAnnotateBrokenYAML(t *testing.T) {
	t.Parallel()
	if _, err := Annotate([]byte("kind: [\n"), testAnnotations); err == nil {
		t.Error("broken YAML annotated")
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	answers := "schema_version: 1\ntemplate: service\nversion: 1.0.0\nvalues: {}\n"
	backstage := "kind: Component\nmetadata:\n  name: a\n  annotations:\n    backstage.io/source-template: template:default/go-service\n"
	cases := []struct {
		name     string
		files    map[string]string
		origin   Origin
		template string
		err      bool
	}{
		{"portico", map[string]string{AnswersPath: answers, "catalog-info.yaml": backstage}, GeneratedByPortico, "service", false},
		{"portico with broken answers", map[string]string{AnswersPath: "template: [\n"}, GeneratedByPortico, "", true},
		{"backstage", map[string]string{"catalog-info.yaml": backstage, "README.md": "x"}, GeneratedByBackstage, "go-service", false},
		{"backstage in a subfolder", map[string]string{"svc/catalog-info.yml": backstage}, GeneratedByBackstage, "go-service", false},
		{"not generated", map[string]string{"catalog-info.yaml": "kind: Component\nmetadata: {name: a}\n"}, NotGenerated, "", false},
		{"broken descriptor", map[string]string{"catalog-info.yaml": "kind: [\n"}, NotGenerated, "", false},
		{"empty", nil, NotGenerated, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			files := tree.Tree{}
			for p, s := range c.files {
				files[p] = tree.File{Data: []byte(s)}
			}
			g := Classify(files)
			if g.Origin != c.origin || g.Template != c.template || (g.Err != nil) != c.err {
				t.Errorf("Classify = %+v (%s)", g, g.Origin)
			}
		})
	}
	if !strings.Contains(GeneratedByBackstage.String(), "backstage") {
		t.Error(GeneratedByBackstage.String())
	}
}

func FuzzClassifyAndAnnotate(f *testing.F) {
	f.Add([]byte("kind: Component\nmetadata:\n  name: a\n  annotations:\n    backstage.io/source-template: template:default/x\n"))
	f.Add([]byte("kind: API\nmetadata: {name: a}\n---\nkind: System\nmetadata:\n  annotations: {}\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Classify(tree.Tree{"catalog-info.yaml": {Data: data}})
		out, err := Annotate(data, testAnnotations)
		if err != nil {
			return
		}
		if _, err := decodeAll(out); err != nil {
			t.Fatalf("Annotate wrote a file that does not parse: %v\n%s\n->\n%s", err, data, out)
		}
	})
}
