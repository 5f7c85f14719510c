package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
)

// TestValidateChecksTemplates runs the binary on platform configurations:
// a template's skeleton descriptor is rendered with sample values and
// checked, so a skeleton that would generate an invalid name fails at
// the skeleton's own file and line (past a block that changes the line
// count), a skeleton that fails to render fails at the line the engine
// names (the descriptor it did not render is then skipped), and the
// testdata service template passes instead of being skipped.
func TestValidateChecksTemplates(t *testing.T) {
	t.Parallel()
	broken := filepath.Join(t.TempDir(), "platform")
	copyDir(t, "testdata/templatecheck/broken", broken)
	if err := os.WriteFile(filepath.Join(broken, "templates/svc/skeleton/README.md"), []byte("# ${{ values.name }}\n\n${{ values.name | nosuch }}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		path   string
		code   int
		stdout []string
	}{
		{"the service template passes", "app/templating/testdata/platform", 0,
			[]string{"1 file, 1 document: 0 errors, 0 warnings"}},
		{"an invalid name rendered", "cmd/portico/testdata/templatecheck/broken", 1, []string{
			"cmd/portico/testdata/templatecheck/broken/templates/svc/skeleton/catalog-info.yaml:8:9: error backstage/metadata.name:",
			`found "example!!"`, "as rendered with sample values"}},
		{"a file that does not render", broken, 1, []string{
			filepath.ToSlash(broken) + "/templates/svc/skeleton/README.md:3:1: error template/render: template svc does not render with sample values (step fetch): filter 'nosuch' not found"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := run(t, "", nil, "validate", "--backstage-only", c.path)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out, errOut)
			}
			for _, s := range c.stdout {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			if c.code == 0 && strings.Contains(errOut, "skipped") {
				t.Errorf("a skeleton of a template was skipped:\n%s", errOut)
			}
		})
	}
}

// TestValidateTemplatesGitHubAnnotations: in a workflow, the finding is
// an annotation on the skeleton file's line.
func TestValidateTemplatesGitHubAnnotations(t *testing.T) {
	t.Parallel()
	out, _, code := run(t, "", nil, "validate", "--backstage-only", "--format", "github", "cmd/portico/testdata/templatecheck/broken")
	want := "::error file=cmd/portico/testdata/templatecheck/broken/templates/svc/skeleton/catalog-info.yaml,line=8,"
	if code != 1 || !strings.Contains(out, want) {
		t.Errorf("exit %d; output lacks %q:\n%s", code, want, out)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestServeChecksTemplates: the App checks a pull request on the
// platform repository that breaks a template: the template is rendered
// from the head's files (listed through the fake GitHub's tree API) with
// sample values, and the skeleton line that would generate an invalid
// name fails the check.
func TestServeChecksTemplates(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.start()
	files := githubtest.Files{}
	err := filepath.WalkDir("testdata/templatecheck/broken", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel("testdata/templatecheck/broken", p)
		files[filepath.ToSlash(rel)] = githubtest.Text(string(data))
		return err
	})
	must(t, err)
	_, err = a.gh.Commit("acme", "web", "template", files, "a template whose skeleton renders an invalid name")
	must(t, err)
	pr, err := a.gh.OpenPullRequest("acme", "web", "template", "main", "Add the svc template")
	must(t, err)
	run := a.waitCheck(pr.HeadSHA)
	lines := annotationLines(run)
	if run.Conclusion != "failure" || !strings.Contains(lines, "templates/svc/skeleton/catalog-info.yaml:8:9 failure backstage/metadata.name") {
		t.Errorf("conclusion %q, annotations:\n%s\nwant a failure at the skeleton's name (8:9)", run.Conclusion, lines)
	}
	if strings.Contains(run.Summary, "skeleton file skipped") {
		t.Errorf("the skeleton was skipped:\n%s", run.Summary)
	}
	if v := a.gh.Violations(); len(v) > 0 {
		t.Errorf("requests GitHub's description refuses: %v", v)
	}
}
