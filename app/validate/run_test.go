package validate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/report"
)

const goodEntity = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: %s\nspec:\n  type: team\n  children: []\n"

// recorder is a report.Writer that keeps what it is given.
type recorder struct {
	files   []*report.File
	summary *report.Summary
	failAt  int
}

func (r *recorder) File(f *report.File) error {
	if r.failAt > 0 && len(r.files)+1 == r.failAt {
		return errors.New("disk full")
	}
	r.files = append(r.files, f)
	return nil
}

func (r *recorder) Close(s report.Summary) error { r.summary = &s; return nil }

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func entity(name string) string { return strings.Replace(goodEntity, "%s", name, 1) }

func TestRunWalksInOrderAndMatchesGlobs(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"b/catalog-info.yaml":              entity("b"),
		"a/catalog-info.yml":               entity("a"),
		"a/extra.catalog.yaml":             entity("extra"),
		"c/team.entity.yaml":               entity("custom"),
		"c/README.md":                      "not a descriptor",
		".git/catalog-info.yaml":           entity("hidden"),
		"node_modules/x/catalog-info.yaml": entity("vendored"),
	})
	rec := &recorder{}
	res, err := Run(context.Background(), NewChecker(nil, 0), []string{dir}, rec, Options{Globs: []string{"*.entity.yaml"}, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rec.files {
		rel, _ := filepath.Rel(dir, f.Path)
		got = append(got, filepath.ToSlash(rel))
	}
	want := []string{"a/catalog-info.yml", "a/extra.catalog.yaml", "b/catalog-info.yaml", "c/team.entity.yaml"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("files %v, want %v", got, want)
	}
	if res.Summary.Files != 4 || res.Summary.Documents != 4 || res.Summary.Errors != 0 || rec.summary == nil {
		t.Errorf("summary %+v (closed: %v)", res.Summary, rec.summary != nil)
	}
}

func TestRunKeepsGoingPastBadFiles(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"big/catalog-info.yaml":    "description: " + strings.Repeat("x", 300) + "\n",
		"broken/catalog-info.yaml": "kind: [\n",
		"ok/catalog-info.yaml":     entity("ok"),
	})
	rec := &recorder{}
	args := []string{filepath.Join(dir, "missing.yaml"), dir}
	res, err := Run(context.Background(), NewChecker(nil, 200), args, rec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.files) != 4 {
		t.Fatalf("got %d files, want 4", len(rec.files))
	}
	wantRules := []string{RuleRead, descriptor.RuleSize, descriptor.RuleYAML, ""}
	for i, f := range rec.files {
		rule := ""
		for _, d := range f.Documents {
			if len(d.Findings) > 0 {
				rule = d.Findings[0].Rule
			}
		}
		if rule != wantRules[i] {
			t.Errorf("%s: first rule %q, want %q", f.Path, rule, wantRules[i])
		}
	}
	if res.IOErrors != 1 {
		t.Errorf("IOErrors = %d, want 1 (only the missing file; an oversized file is a finding)", res.IOErrors)
	}
	if f := rec.files[1]; f.Documents[0].Index != 0 || f.Documents[0].Valid {
		t.Errorf("oversized file: %+v, want an invalid index-0 document", f.Documents[0])
	}
}

func TestRunStdin(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	_, err := Run(context.Background(), NewChecker(nil, 0), []string{StdinPath}, rec,
		Options{Stdin: strings.NewReader(entity("x") + "---\n" + entity("bad name"))})
	if err != nil {
		t.Fatal(err)
	}
	docs := rec.files[0].Documents
	if rec.files[0].Path != "-" || len(docs) != 2 || !docs[0].Valid || docs[1].Valid || docs[1].Index != 2 {
		t.Errorf("stdin result %+v", rec.files[0])
	}
	if f := docs[1].Findings[0]; f.Rule != "backstage/metadata.name" || f.Line != 12 || f.Column != 9 {
		t.Errorf("finding %+v, want backstage/metadata.name at 12:9", f)
	}
}

func TestRunStopsOnWriterError(t *testing.T) {
	t.Parallel()
	files := map[string]string{}
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		files[n+"/catalog-info.yaml"] = entity(n)
	}
	rec := &recorder{failAt: 2}
	_, err := Run(context.Background(), NewChecker(nil, 0), []string{writeTree(t, files)}, rec, Options{Workers: 2})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v, want the writer's error", err)
	}
}

// stubPolicy reports one warning per document, or fails.
type stubPolicy struct{ fail bool }

func (p stubPolicy) Eval(_ context.Context, d *descriptor.Document) ([]descriptor.Finding, error) {
	if p.fail {
		return nil, errors.New("boom")
	}
	return []descriptor.Finding{{Severity: descriptor.SeverityWarning, Rule: "org/x", Message: "m", Line: d.Line, Column: 1}}, nil
}

func TestCheckAppliesPolicy(t *testing.T) {
	t.Parallel()
	for _, p := range []stubPolicy{{fail: false}, {fail: true}} {
		f := NewChecker(p, 0).Check(context.Background(), "x.yaml", []byte(entity("x")))
		d := f.Documents[0]
		if len(d.Findings) != 1 {
			t.Fatalf("findings %+v", d.Findings)
		}
		wantRule, wantValid := "org/x", true
		if p.fail {
			wantRule, wantValid = RulePolicyError, false
		}
		if d.Findings[0].Rule != wantRule || d.Valid != wantValid {
			t.Errorf("policy fail=%v: %+v valid=%v", p.fail, d.Findings[0], d.Valid)
		}
	}
}
