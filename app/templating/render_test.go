package templating

import (
	"context"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/portico-dev/portico/app/tree"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := "testdata/" + name
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs (run with -update to accept):\n--- got\n%s\n--- want\n%s", p, got, want)
	}
}

const testCommit = "0123456789abcdef0123456789abcdef01234567"

func TestRenderService(t *testing.T) {
	t.Parallel()
	tp := serviceTemplate(t)
	out, err := tp.Render(context.Background(), os.DirFS("testdata/platform"),
		map[string]any{"name": "payments", "owner": "group:payments", "apiToken": "ghp_secret"}, Provenance{Commit: testCommit})
	if err != nil {
		t.Fatal(err)
	}
	got := DumpTree(out)
	golden(t, "service.golden", got)
	if strings.Contains(string(got), "ghp_secret") {
		t.Error("a secret value reached the rendered tree")
	}
	if out[".github/workflows/ci.yaml"].Data == nil || !strings.Contains(string(out[".github/workflows/ci.yaml"].Data), "${{ github.sha }}") {
		t.Error("fetch:plain rendered its files")
	}
	if out["check.sh"].Mode != tree.Executable {
		t.Error("fetch:plain lost the executable bit")
	}
	a, err := ParseAnswers(out[AnswersPath].Data)
	if err != nil || a.Template != "service" || a.Version != "1.2.0" || a.PlatformCommit != testCommit || a.Values["port"] != 8080.0 {
		t.Errorf("answers = %+v, %v", a, err)
	}
	if _, ok := a.Values["apiToken"]; ok {
		t.Error("answers store a secret")
	}
}

func TestRenderStepIfAndValuesAsData(t *testing.T) {
	t.Parallel()
	out, err := serviceTemplate(t).Render(context.Background(), os.DirFS("testdata/platform"),
		map[string]any{"name": "payments", "owner": "${{ parameters.name }}", "ci": false}, Provenance{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out["check.sh"]; ok {
		t.Error("a step whose if is false ran")
	}
	if !strings.Contains(string(out["catalog-info.yaml"].Data), "owner: ${{ parameters.name }}") {
		t.Errorf("a value was rendered as a template:\n%s", out["catalog-info.yaml"].Data)
	}
}

func TestRenderRefusals(t *testing.T) {
	t.Parallel()
	tp := serviceTemplate(t)
	_, err := tp.Render(context.Background(), os.DirFS("testdata/platform"), map[string]any{"name": "Bad Name", "owner": "o"}, Provenance{})
	var ve *ValuesError
	if !errors.As(err, &ve) {
		t.Errorf("invalid values: err = %v", err)
	}
	// A url built from an expression is checked once rendered.
	fsys := platform(map[string]string{
		"templates/a/template.yaml": strings.Replace(good("a"), "./skeleton", "../../../${{ parameters.name }}", 1),
		"templates/a/skeleton/x":    "",
	})
	ta, f := Load(fsys, "templates/a/template.yaml")
	if ta == nil {
		t.Fatal(f)
	}
	_, err = ta.Render(context.Background(), fsys, map[string]any{"name": "etc"}, Provenance{})
	if err == nil || !strings.Contains(err.Error(), "leaves the platform configuration") || !strings.Contains(err.Error(), "template.yaml:15") {
		t.Errorf("url leaving the configuration: err = %v", err)
	}
}

func TestRenderSymlinkOutsideRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{"templates/a/template.yaml": good("a"), "templates/a/skeleton/x": ""}
	for p, s := range files {
		if err := os.MkdirAll(dir+"/"+p[:strings.LastIndex(p, "/")], 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dir+"/"+p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outside := t.TempDir()
	if err := os.WriteFile(outside+"/secret", []byte("s"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, dir+"/templates/a/skeleton/leak"); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	ts, f := List(root.FS())
	if len(ts) != 1 {
		t.Fatal(f)
	}
	out, err := ts[0].Render(context.Background(), root.FS(), map[string]any{"name": "n"}, Provenance{})
	if err == nil {
		for p, file := range out {
			if string(file.Data) == "s" {
				t.Errorf("%s holds a file from outside the configuration", p)
			}
		}
	}
}

func TestEmbeddedMount(t *testing.T) {
	t.Parallel()
	fsys := Mount("templates", fstest.MapFS{"a/template.yaml": {Data: []byte(good("a"))}, "a/skeleton/x": {Data: []byte("")}})
	if err := fstest.TestFS(fsys, "templates/a/template.yaml", "templates/a/skeleton/x"); err != nil {
		t.Fatal(err)
	}
	ts, f := List(fsys)
	if len(ts) != 1 || len(f) != 0 {
		t.Fatalf("%v %v", ts, f)
	}
}

// TestRenderConcurrent renders one loaded template from several
// goroutines, as the upgrade flow does across repositories.
func TestRenderConcurrent(t *testing.T) {
	t.Parallel()
	tp := serviceTemplate(t)
	fsys := os.DirFS("testdata/platform")
	want, err := tp.Render(context.Background(), fsys, map[string]any{"name": "a", "owner": "o"}, Provenance{})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			got, err := tp.Render(context.Background(), fsys, map[string]any{"name": "a", "owner": "o"}, Provenance{})
			if err == nil && !got.Equal(want) {
				err = errors.New("renders differ")
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// BenchmarkRender is one repository's render of the testdata service
// template: validation, four steps, provenance. An upgrade renders twice.
func BenchmarkRender(b *testing.B) {
	ts, _ := List(os.DirFS("testdata/platform"))
	fsys := os.DirFS("testdata/platform")
	values := map[string]any{"name": "a", "owner": "o"}
	for b.Loop() {
		if _, err := ts[0].Render(context.Background(), fsys, values, Provenance{Commit: testCommit}); err != nil {
			b.Fatal(err)
		}
	}
}
