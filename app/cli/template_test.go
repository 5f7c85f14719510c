package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/templating"
	"github.com/portico-dev/portico/app/tree"
)

const templatePlatform = "../templating/testdata/platform"

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

func TestTemplateList(t *testing.T) {
	t.Parallel()
	code, out, errs := runCLI(t, "template", "list", "--templates", templatePlatform)
	want := "NAME     VERSION  TITLE\nservice  1.2.0    Go service\n"
	if code != ExitOK || out != want {
		t.Errorf("code %d, out:\n%s\nwant:\n%s\nstderr: %s", code, out, want, errs)
	}
	code, out, _ = runCLI(t, "template", "list", "--templates", templatePlatform, "--format", "json")
	var list []map[string]string
	if code != ExitOK || json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 ||
		list[0]["name"] != "service" || list[0]["version"] != "1.2.0" || list[0]["title"] != "Go service" {
		t.Errorf("json: code %d, %s", code, out)
	}
}

func TestTemplateListExitCodes(t *testing.T) {
	t.Parallel()
	broken := t.TempDir()
	if err := os.MkdirAll(filepath.Join(broken, "templates", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "templates", "x", "template.yaml"), []byte("kind: Template\nmetadata: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "template", "list", "--templates", broken)
	if code != ExitFindings || !strings.Contains(errs, "templates/x/template.yaml:3:") {
		t.Errorf("broken: code %d, stderr %s", code, errs)
	}
	if code, _, _ := runCLI(t, "template", "list", "--templates", t.TempDir()); code != ExitNothing {
		t.Errorf("empty: code %d", code)
	}
	if code, _, _ := runCLI(t, "template", "list", "--format", "xml"); code != ExitUsage {
		t.Errorf("bad format: code %d", code)
	}
	if code, _, _ := runCLI(t, "template", "frobnicate"); code != ExitUsage {
		t.Errorf("unknown subcommand: code %d", code)
	}
}

func writeValues(t *testing.T, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "values.yaml")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readTree reads a directory written by template render back into a tree.
func readTree(t *testing.T, dir string) tree.Tree {
	t.Helper()
	out := tree.Tree{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, _ := d.Info()
		data, err := os.ReadFile(p)
		mode := tree.Regular
		if info.Mode()&0o111 != 0 {
			mode = tree.Executable
		}
		out[filepath.ToSlash(rel)] = tree.File{Data: data, Mode: mode}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestTemplateRender(t *testing.T) {
	t.Parallel()
	values := writeValues(t, "name: payments\nowner: group:payments\napiToken: ghp_secret\n")
	out := filepath.Join(t.TempDir(), "repo")
	code, stdout, errs := runCLI(t, "template", "render", "service", "--values", values, "--out", out, "--templates", templatePlatform)
	if code != ExitOK {
		t.Fatalf("code %d, stderr %s", code, errs)
	}
	if !strings.Contains(stdout, "rendered service 1.2.0") {
		t.Errorf("stdout %q", stdout)
	}
	got := readTree(t, out)
	a, err := templating.ParseAnswers(got[templating.AnswersPath].Data)
	if err != nil {
		t.Fatal(err)
	}
	// The testdata folder is inside this repository's checkout: the
	// answers record its HEAD, which moves; the golden file has a fixed one.
	if len(a.PlatformCommit) != 40 {
		t.Errorf("platform_commit %q is not the checkout's HEAD", a.PlatformCommit)
	}
	f := got[templating.AnswersPath]
	f.Data = bytes.Replace(f.Data, []byte(a.PlatformCommit), []byte("0123456789abcdef0123456789abcdef01234567"), 1)
	got[templating.AnswersPath] = f
	want, err := os.ReadFile("../templating/testdata/service.golden")
	if err != nil {
		t.Fatal(err)
	}
	if d := templating.DumpTree(got); !bytes.Equal(d, want) {
		t.Errorf("rendered tree:\n%s\nwant (../templating/testdata/service.golden):\n%s", d, want)
	}
}

func TestTemplateRenderRefusals(t *testing.T) {
	t.Parallel()
	values := writeValues(t, "name: payments\nowner: group:payments\n")
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "keep.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "template", "render", "service", "--values", values, "--out", full, "--templates", templatePlatform)
	if code != ExitUsage || !strings.Contains(errs, "not empty") {
		t.Errorf("non-empty out: code %d, %s", code, errs)
	}
	code, _, errs = runCLI(t, "template", "render", "service", "--values", values, "--out", full, "--templates", templatePlatform, "--force")
	if code != ExitOK || readTree(t, full)["keep.txt"].Data == nil {
		t.Errorf("--force: code %d, %s", code, errs)
	}
	bad := writeValues(t, "name: Not A Name\nowner: o\n")
	code, _, errs = runCLI(t, "template", "render", "service", "--values", bad, "--out", filepath.Join(t.TempDir(), "o"), "--templates", templatePlatform)
	if code != ExitFindings || !strings.Contains(errs, "name:") {
		t.Errorf("invalid values: code %d, %s", code, errs)
	}
	code, _, errs = runCLI(t, "template", "render", "nope", "--values", values, "--out", filepath.Join(t.TempDir(), "o"), "--templates", templatePlatform)
	if code != ExitUsage || !strings.Contains(errs, `no template named "nope"`) {
		t.Errorf("unknown template: code %d, %s", code, errs)
	}
	if code, _, _ := runCLI(t, "template", "render", "service", "--out", t.TempDir()); code != ExitUsage {
		t.Errorf("missing --values: code %d", code)
	}
}

func TestTemplateRenderOutsideConfigurationRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tpl := `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: escape
  annotations:
    portico.dev/template-version: 1.0.0
spec:
  type: service
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ../../../outside
`
	if err := os.MkdirAll(filepath.Join(dir, "platform", "templates", "escape"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "outside"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "platform", "templates", "escape", "template.yaml"), []byte(tpl), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "template", "list", "--templates", filepath.Join(dir, "platform"))
	if code != ExitFindings || !strings.Contains(errs, "template.yaml:13:") || !strings.Contains(errs, "leaves the platform configuration") {
		t.Errorf("code %d, stderr %s", code, errs)
	}
	code, _, _ = runCLI(t, "template", "render", "escape", "--values", writeValues(t, "{}"), "--out", filepath.Join(dir, "o"), "--templates", filepath.Join(dir, "platform"))
	if code != ExitUsage {
		t.Errorf("render of a refused template: code %d", code)
	}
}

func TestTemplateListTemplatesFolderAlone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tpl := "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: lone\n  title: Lone\n  annotations:\n    portico.dev/template-version: 2.0.0\n" +
		"spec:\n  type: service\n  steps:\n    - action: fetch:template\n      input: {url: ./skeleton}\n"
	if err := os.MkdirAll(filepath.Join(dir, "lone", "skeleton"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lone", "template.yaml"), []byte(tpl), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "template", "list", "--templates", dir)
	if code != ExitOK || !strings.Contains(out, "lone  2.0.0    Lone") {
		t.Errorf("code %d, out %q, stderr %s", code, out, errs)
	}
}
