package templating

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

const goodTemplate = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: %NAME%
  title: Minimal
  annotations:
    portico.dev/template-version: 0.3.1
spec:
  owner: group:platform
  type: service
  parameters:
    properties:
      name: {type: string}
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
`

func platform(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for p, s := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(s)}
	}
	return fsys
}

func good(name string) string { return strings.ReplaceAll(goodTemplate, "%NAME%", name) }

func TestListTestdataPlatform(t *testing.T) {
	t.Parallel()
	ts, findings := List(os.DirFS("testdata/platform"))
	for _, f := range findings {
		if f.IsError() {
			t.Errorf("unexpected finding %s", f)
		}
	}
	if len(ts) != 1 {
		t.Fatalf("got %d templates, want 1", len(ts))
	}
	tp := ts[0]
	if tp.Name != "service" || tp.Title != "Go service" || tp.Version.String() != "1.2.0" ||
		tp.Path != "templates/service/template.yaml" || tp.Dir != "templates/service" {
		t.Errorf("template = %+v", tp)
	}
	if len(tp.Pages) != 2 || tp.Pages[0].Title != "Service" || tp.Pages[1].Line != 28 {
		t.Errorf("pages = %+v", tp.Pages)
	}
	var actions []string
	for _, s := range tp.Steps {
		if !s.Known {
			t.Errorf("step %s not known", s.ID)
		}
		actions = append(actions, s.Action)
	}
	if got := strings.Join(actions, " "); got != "fetch:template fetch:plain publish:github catalog:register debug:log" {
		t.Errorf("actions = %s", got)
	}
	if tp.Steps[1].If != "${{ parameters.ci }}" || tp.Steps[0].Line != 42 {
		t.Errorf("step if/line = %v, %d", tp.Steps[1].If, tp.Steps[0].Line)
	}
	if tp.Ref() != "template:default/service" {
		t.Errorf("ref = %s", tp.Ref())
	}
}

func TestLoadFindings(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		files map[string]string
		want  []string // file:line rule, in order
		count int      // templates loaded
	}{
		{"good", map[string]string{"templates/a/template.yaml": good("a"), "templates/a/skeleton/x": ""}, nil, 1},
		{"no templates folder", map[string]string{"README.md": ""}, nil, 0},
		{"nested anywhere under templates",
			map[string]string{"templates/team/x/template.yaml": good("x"), "templates/team/x/skeleton/f": ""}, nil, 1},
		{"outside templates is ignored", map[string]string{"other/template.yaml": good("a")}, nil, 0},
		{"yaml syntax", map[string]string{"templates/a/template.yaml": "kind: Template\nmetadata: [\n"},
			[]string{"templates/a/template.yaml:3 yaml/syntax"}, 0},
		{"not a template", map[string]string{"templates/a/template.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: g}\nspec: {type: team, children: []}\n"},
			[]string{"templates/a/template.yaml:1 template/entity"}, 0},
		{"missing version",
			map[string]string{"templates/a/template.yaml": strings.Replace(good("a"), "    portico.dev/template-version: 0.3.1\n", "    x: y\n", 1), "templates/a/skeleton/x": ""},
			[]string{"templates/a/template.yaml:7 template/version"}, 0},
		{"bad version",
			map[string]string{"templates/a/template.yaml": strings.Replace(good("a"), "0.3.1", "v1", 1), "templates/a/skeleton/x": ""},
			[]string{"templates/a/template.yaml:7 template/version"}, 0},
		{"duplicate names", map[string]string{
			"templates/a/template.yaml": good("same"), "templates/a/skeleton/x": "",
			"templates/b/template.yaml": good("same"), "templates/b/skeleton/x": "",
			"templates/c/template.yaml": good("c"), "templates/c/skeleton/x": ""},
			[]string{"templates/a/template.yaml:4 template/duplicate-name", "templates/b/template.yaml:4 template/duplicate-name"}, 1},
		{"url outside the configuration",
			map[string]string{"templates/a/template.yaml": strings.Replace(good("a"), "./skeleton", "../../../etc", 1)},
			[]string{"templates/a/template.yaml:18 template/step-url"}, 0},
		{"remote url",
			map[string]string{"templates/a/template.yaml": strings.Replace(good("a"), "./skeleton", "https://github.com/acme/skeletons/tree/main/go", 1)},
			[]string{"templates/a/template.yaml:18 template/step-url"}, 0},
		{"missing skeleton folder",
			map[string]string{"templates/a/template.yaml": good("a")},
			[]string{"templates/a/template.yaml:18 template/step-url"}, 0},
		{"shared folder elsewhere in the configuration",
			map[string]string{"templates/a/template.yaml": strings.Replace(good("a"), "./skeleton", "../../shared/go", 1), "shared/go/main.go": ""},
			nil, 1},
		{"templated url is checked at render",
			map[string]string{"templates/a/template.yaml": strings.Replace(good("a"), "./skeleton", "./${{ parameters.name }}", 1)},
			nil, 1},
		{"unknown action is a warning and kept",
			map[string]string{"templates/a/template.yaml": good("a") + "    - id: x\n      action: acme:deploy\n", "templates/a/skeleton/x": ""},
			[]string{"templates/a/template.yaml:20 template/unknown-action"}, 1},
		{"bad schema",
			map[string]string{"templates/a/template.yaml": strings.Replace(good("a"), "{type: string}", "{type: strung}", 1), "templates/a/skeleton/x": ""},
			[]string{"templates/a/template.yaml:12 template/parameters"}, 0},
		{"schema refers outside", map[string]string{"templates/a/template.yaml": strings.Replace(good("a"), "{type: string}", "{$ref: 'file:///etc/passwd'}", 1), "templates/a/skeleton/x": ""},
			[]string{"templates/a/template.yaml:12 template/parameters"}, 0},
		{"backstage rules", map[string]string{"templates/a/template.yaml": strings.Replace(good("a"), "      action: fetch:template\n", "", 1), "templates/a/skeleton/x": ""},
			[]string{"templates/a/template.yaml:15 backstage/spec.steps"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ts, findings := List(platform(c.files))
			var got []string
			for _, f := range findings {
				got = append(got, f.File+":"+strconv.Itoa(f.Line)+" "+f.Rule)
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s\n(%v)", strings.Join(got, "\n"), strings.Join(c.want, "\n"), findings)
			}
			if len(ts) != c.count {
				t.Errorf("loaded %d templates, want %d", len(ts), c.count)
			}
		})
	}
}

func TestEmbeddedDefaultsLoad(t *testing.T) {
	t.Parallel()
	_, findings := List(Embedded())
	for _, f := range findings {
		t.Errorf("embedded template: %s", f)
	}
}
