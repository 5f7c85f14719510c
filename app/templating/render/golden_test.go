package render

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/portico-dev/portico/app/tree"
)

// The goldens under testdata/templates/golden are Backstage's own output,
// written by testdata/templates/oracle/regen.sh (node, nunjucks 3.2.4);
// this test never writes them, so it has no -update flag: a difference is
// fixed in the renderer or listed below and in docs/templates.md.
const templatesDir = "../../../testdata/templates"

// knownDifferences names the golden files or value cases where portico
// knowingly differs from Backstage, with the reason (docs/templates.md,
// "Differences from Backstage").
var knownDifferences = map[string]string{
	"values/syntax error":                "Backstage leaves an input whose template fails as the raw text; portico reports the error",
	"values/pick of a missing key fails": "the same: pick's undefined result fails in Backstage's sandbox, which then keeps the raw text",
}

type goldenFile struct {
	Mode   string  `json:"mode"`
	Text   *string `json:"text"`
	Base64 string  `json:"base64"`
}

type golden struct {
	Files map[string]goldenFile `json:"files"`
	Error string                `json:"error"`
}

func TestSamplesMatchBackstage(t *testing.T) {
	samples, err := os.ReadDir(filepath.Join(templatesDir, "samples"))
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) < 6 {
		t.Fatalf("%d samples, want at least 6", len(samples))
	}
	for _, s := range samples {
		name := s.Name()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := readGolden(t, filepath.Join(templatesDir, "golden", name+".json"))
			got, err := renderSample(context.Background(), filepath.Join(templatesDir, "samples", name))
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			compareTrees(t, name, got, want)
		})
	}
}

func readGolden(t *testing.T, path string) tree.Tree {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if g.Error != "" {
		t.Fatalf("Backstage failed on this sample: %s", g.Error)
	}
	out := tree.Tree{}
	for p, f := range g.Files {
		mode, ok := tree.ParseGitMode(f.Mode)
		if !ok {
			t.Fatalf("%s: mode %q", p, f.Mode)
		}
		data := []byte(nil)
		if f.Text != nil {
			data = []byte(*f.Text)
		} else if data, err = base64.StdEncoding.DecodeString(f.Base64); err != nil {
			t.Fatal(err)
		}
		out[p] = tree.File{Data: data, Mode: mode}
	}
	return out
}

// renderSample renders every fetch:template step of a sample's
// template.yaml with its values.yaml as the parameters, as Backstage runs
// them: the step's input first, then the skeleton; an earlier step's
// file is not replaced.
func renderSample(ctx context.Context, dir string) (tree.Tree, error) {
	var tpl struct {
		Spec struct {
			Steps []struct {
				Action string         `yaml:"action"`
				Input  map[string]any `yaml:"input"`
			} `yaml:"steps"`
		} `yaml:"spec"`
	}
	var params map[string]any
	if err := readYAML(filepath.Join(dir, "template.yaml"), &tpl); err != nil {
		return nil, err
	}
	if err := readYAML(filepath.Join(dir, "values.yaml"), &params); err != nil {
		return nil, err
	}
	scope := map[string]any{"parameters": params, "steps": map[string]any{}, "user": map[string]any{}, "secrets": map[string]any{}}
	out := tree.Tree{}
	for _, step := range tpl.Spec.Steps {
		if step.Action != "fetch:template" {
			continue
		}
		input, err := RenderValue(ctx, step.Input, scope)
		if err != nil {
			return nil, err
		}
		in, _ := input.(map[string]any)
		opts, values, err := OptionsFromInput(in)
		if err != nil {
			return nil, err
		}
		url, _ := in["url"].(string)
		files, _, err := RenderSkeleton(ctx, os.DirFS(dir), url, values, opts)
		if err != nil {
			return nil, err
		}
		for p, f := range files {
			if _, ok := out[p]; !ok {
				out[p] = f
			}
		}
	}
	return out, nil
}

func readYAML(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return yaml.Unmarshal(b, v)
}

func compareTrees(t *testing.T, sample string, got, want tree.Tree) {
	t.Helper()
	for _, p := range want.Paths() {
		g, ok := got[p]
		key := sample + "/" + p
		switch {
		case !ok:
			report(t, key, "missing (Backstage writes it)")
		case g.Mode != want[p].Mode:
			report(t, key, fmt.Sprintf("mode %s, Backstage %s", g.Mode, want[p].Mode))
		case string(g.Data) != string(want[p].Data):
			report(t, key, fmt.Sprintf("contents differ:\n got %q\nwant %q", g.Data, want[p].Data))
		default:
			if _, known := knownDifferences[key]; known {
				t.Errorf("%s: listed as a known difference but matches Backstage: drop it from the list", key)
			}
		}
	}
	for _, p := range got.Paths() {
		if _, ok := want[p]; !ok {
			report(t, sample+"/"+p, "written, but Backstage does not write it")
		}
	}
}

func report(t *testing.T, key, msg string) {
	t.Helper()
	if why, known := knownDifferences[key]; known {
		t.Logf("%s: known difference (%s): %s", key, why, msg)
		return
	}
	t.Errorf("%s: %s", key, msg)
}

type valueCase struct {
	Name  string         `yaml:"name"`
	Input any            `yaml:"input"`
	Scope map[string]any `yaml:"scope"`
}

type valueGolden struct {
	Name        string `json:"name"`
	Output      any    `json:"output"`
	Undefined   bool   `json:"undefined"`
	RenderError bool   `json:"renderError"`
}

func TestRenderValueMatchesBackstage(t *testing.T) {
	var cases []valueCase
	if err := readYAML(filepath.Join(templatesDir, "values.yaml"), &cases); err != nil {
		t.Fatal(err)
	}
	var want []valueGolden
	b, err := os.ReadFile(filepath.Join(templatesDir, "golden", "values.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(cases) {
		t.Fatalf("%d cases, %d goldens: run testdata/templates/oracle/regen.sh", len(cases), len(want))
	}
	for i, c := range cases {
		w := want[i]
		key := "values/" + c.Name
		got, err := RenderValue(context.Background(), map[string]any{"value": c.Input}, c.Scope)
		switch {
		case w.RenderError:
			if err == nil {
				report(t, key, "rendered; Backstage's template fails")
			} else if _, known := knownDifferences[key]; !known {
				t.Errorf("%s: fails as in Backstage, but not listed among the known differences (Backstage keeps the raw text)", key)
			}
			continue
		case err != nil:
			report(t, key, fmt.Sprintf("error %v", err))
			continue
		}
		v, present := got.(map[string]any)["value"]
		if w.Undefined {
			if present {
				report(t, key, fmt.Sprintf("got %#v, Backstage drops it (undefined)", v))
			}
			continue
		}
		if !reflect.DeepEqual(v, normalize(w.Output)) {
			report(t, key, fmt.Sprintf("got %#v, Backstage %#v", v, normalize(w.Output)))
		}
	}
}
