package plan

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/portico-dev/portico/app/templating"
	"github.com/portico-dev/portico/app/templating/merge"
	"github.com/portico-dev/portico/app/tree"
)

const commitA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
const commitB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

// version is one version of the "svc" template: its extra parameters
// (YAML under properties) and its skeleton.
type version struct {
	number   string
	params   string
	required string
	files    map[string]string
}

func (v version) platform() fstest.MapFS {
	yaml := fmt.Sprintf(`apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: svc
  annotations:
    portico.dev/template-version: %s
spec:
  owner: group:platform
  type: service
  parameters:
    - title: Service
      required: [name%s]
      properties:
        name:
          type: string
        token:
          type: string
          ui:field: Secret
%s
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
          port: ${{ parameters.port }}
          region: ${{ parameters.region }}
`, v.number, v.required, v.params)
	fsys := fstest.MapFS{"templates/svc/template.yaml": {Data: []byte(yaml)}}
	for p, s := range v.files {
		fsys["templates/svc/skeleton/"+p] = &fstest.MapFile{Data: []byte(s)}
	}
	return fsys
}

func side(t *testing.T, v version, commit string) Side {
	t.Helper()
	fsys := v.platform()
	tpl, findings := templating.Load(fsys, "templates/svc/template.yaml")
	if tpl == nil {
		t.Fatalf("load %s: %v", v.number, findings)
	}
	return Side{Template: tpl, FS: fsys, Commit: commit}
}

const readmeA = "# ${{ values.name }}\n\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\n"

var v100 = version{number: "1.0.0", files: map[string]string{
	"README.md":         readmeA,
	"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\nspec:\n  type: service\n  lifecycle: experimental\n  owner: group:team\n",
	"old.txt":           "obsolete\n",
	"kept.txt":          "obsolete too\n",
}}

var v110 = version{number: "1.1.0",
	params: "        port:\n          type: integer\n          default: 8080\n",
	files: map[string]string{
		"README.md":         strings.Replace(readmeA, "line 7", "line 7, by the template, port ${{ values.port }}", 1),
		"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team\n",
		"new.txt":           "new in 1.1.0\n",
	}}

// generate renders v as a new repository would hold it.
func generate(t *testing.T, v version, commit string, values map[string]any) tree.Tree {
	t.Helper()
	s := side(t, v, commit)
	out, err := s.Template.Render(context.Background(), s.FS, values, templating.Provenance{Commit: commit})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func answersOf(t *testing.T, repo tree.Tree) *templating.Answers {
	t.Helper()
	a, err := templating.ParseAnswers(repo[templating.AnswersPath].Data)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func upgrade(t *testing.T, repo tree.Tree, to version) (*Plan, error) {
	t.Helper()
	return Upgrade(context.Background(), Input{
		Answers: answersOf(t, repo),
		Base:    side(t, v100, commitA),
		Target:  side(t, to, commitB),
		Ours:    TreeFiles(repo),
	})
}

func TestUpgradeUntouchedRepository(t *testing.T) {
	t.Parallel()
	repo := generate(t, v100, commitA, map[string]any{"name": "pay"})
	p, err := upgrade(t, repo, v110)
	if err != nil {
		t.Fatal(err)
	}
	want := generate(t, v110, commitB, map[string]any{"name": "pay"})
	// Applied to the repository, the plan gives exactly a fresh render of
	// the new version: the repository had nothing of its own.
	if got := apply(repo, p); !got.Equal(want) {
		t.Errorf("upgraded repository differs from a fresh 1.1.0 render:\n%s\nwant\n%s", templating.DumpTree(got), templating.DumpTree(want))
	}
	if !p.Clean() || p.From != "1.0.0" || p.To != "1.1.0" || p.Template != "svc" {
		t.Errorf("plan = %s %s→%s clean=%v", p.Template, p.From, p.To, p.Clean())
	}
	if strings.Join(p.Deleted, ",") != "kept.txt,old.txt" {
		t.Errorf("deleted = %v", p.Deleted)
	}
	if p.Answers.Version != "1.1.0" || p.Answers.PlatformCommit != commitB || fmt.Sprint(p.Answers.Values["port"]) != "8080" {
		t.Errorf("answers = %+v", p.Answers)
	}
	outcomes := map[string]merge.Outcome{}
	for _, f := range p.Merge.Files {
		outcomes[f.Path] = f.Outcome
	}
	wantOutcomes := map[string]merge.Outcome{"README.md": merge.Updated, "catalog-info.yaml": merge.Updated,
		"new.txt": merge.Added, "old.txt": merge.Deleted, "kept.txt": merge.Deleted, templating.AnswersPath: merge.Updated}
	for path, o := range wantOutcomes {
		if outcomes[path] != o {
			t.Errorf("%s: outcome %q, want %q", path, outcomes[path], o)
		}
	}
}

func TestUpgradeKeepsTheRepositorysChanges(t *testing.T) {
	t.Parallel()
	repo := generate(t, v100, commitA, map[string]any{"name": "pay"})
	repo["README.md"] = tree.File{Data: []byte(strings.Replace(string(repo["README.md"].Data), "line 2", "line 2, by the owner", 1))}
	repo["kept.txt"] = tree.File{Data: []byte("the owner's now\n")}
	repo["main.go"] = tree.File{Data: []byte("package main\n")}
	p, err := upgrade(t, repo, v110)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(p.Files["README.md"].Data)
	if !strings.Contains(readme, "line 2, by the owner") || !strings.Contains(readme, "line 7, by the template, port 8080") {
		t.Errorf("README.md did not merge both changes:\n%s", readme)
	}
	if _, ok := p.Files["kept.txt"]; ok || strings.Join(p.Deleted, ",") != "old.txt" {
		t.Errorf("the owner's kept.txt must stay: files %v, deleted %v", p.Files.Paths(), p.Deleted)
	}
	if _, ok := p.Files["main.go"]; ok {
		t.Error("a file the template never rendered is not the upgrade's")
	}
	if len(p.Merge.Kept()) != 1 || p.Merge.Kept()[0].Path != "kept.txt" || !p.Clean() {
		t.Errorf("kept = %+v, clean = %v", p.Merge.Kept(), p.Clean())
	}
}

func TestUpgradeConflictIsInlineWithVersionLabels(t *testing.T) {
	t.Parallel()
	repo := generate(t, v100, commitA, map[string]any{"name": "pay"})
	repo["README.md"] = tree.File{Data: []byte(strings.Replace(string(repo["README.md"].Data), "line 7", "line 7, by the owner", 1))}
	p, err := upgrade(t, repo, v110)
	if err != nil {
		t.Fatal(err)
	}
	if p.Clean() || len(p.Merge.Conflicts()) != 1 || p.Merge.Conflicts()[0].Path != "README.md" {
		t.Fatalf("conflicts = %+v", p.Merge.Conflicts())
	}
	want := "<<<<<<< repository\nline 7, by the owner\n=======\nline 7, by the template, port 8080\n>>>>>>> template 1.1.0\n"
	if got := string(p.Files["README.md"].Data); !strings.Contains(got, want) {
		t.Errorf("README.md:\n%s\nwant it to hold\n%s", got, want)
	}
}

func TestUpgradeNewRequiredParameter(t *testing.T) {
	t.Parallel()
	repo := generate(t, v100, commitA, map[string]any{"name": "pay"})
	v := v110
	v.params += "        region:\n          type: string\n"
	v.required = ", region"
	_, err := upgrade(t, repo, v)
	var missing *templating.MissingParametersError
	if !errors.As(err, &missing) || strings.Join(missing.Names, ",") != "region" {
		t.Fatalf("err = %v, want the missing region named", err)
	}
	// The owner adds it to the answers: the upgrade goes ahead with it.
	a := answersOf(t, repo)
	a.Values["region"] = "eu"
	data, _ := a.Marshal()
	repo[templating.AnswersPath] = tree.File{Data: data}
	p, err := upgrade(t, repo, v)
	if err != nil {
		t.Fatal(err)
	}
	if p.Answers.Values["region"] != "eu" {
		t.Errorf("answers lost the owner's value: %+v", p.Answers.Values)
	}
}

func TestUpgradeRefusals(t *testing.T) {
	t.Parallel()
	repo := generate(t, v100, commitA, map[string]any{"name": "pay"})
	if _, err := Upgrade(context.Background(), Input{Answers: answersOf(t, repo), Base: side(t, v100, commitA),
		Target: side(t, v100, commitA), Ours: TreeFiles(repo)}); !errors.Is(err, ErrCurrent) {
		t.Errorf("same version: err = %v, want ErrCurrent", err)
	}
	other := answersOf(t, repo)
	other.Template = "web"
	if _, err := Upgrade(context.Background(), Input{Answers: other, Base: side(t, v100, commitA),
		Target: side(t, v110, commitB), Ours: TreeFiles(repo)}); err == nil || !strings.Contains(err.Error(), `"web"`) {
		t.Errorf("another template: err = %v", err)
	}
	if _, err := Upgrade(context.Background(), Input{}); err == nil {
		t.Error("empty input accepted")
	}
}

func TestUpgradeSecretsAreNotNeededNorStored(t *testing.T) {
	t.Parallel()
	v0, v1 := v100, v110
	v0.required, v1.required = ", token", ", token"
	v0.files = map[string]string{"env": "TOKEN=${{ values.token }}\n", "README.md": "a\n"}
	v1.files = map[string]string{"env": "TOKEN=${{ values.token }}\n", "README.md": "b\n"}
	s0 := side(t, v0, commitA)
	repo, err := s0.Template.Render(context.Background(), s0.FS, map[string]any{"name": "pay", "token": "s3cret"}, templating.Provenance{Commit: commitA})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Upgrade(context.Background(), Input{Answers: answersOf(t, repo), Base: s0, Target: side(t, v1, commitB), Ours: TreeFiles(repo)})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Answers.Values["token"]; ok {
		t.Errorf("a secret reached the answers: %+v", p.Answers.Values)
	}
	if _, ok := p.Files["env"]; ok {
		t.Error("the repository's file holding the secret was rewritten")
	}
	if string(p.Files["README.md"].Data) != "b\n" {
		t.Errorf("README.md = %q", p.Files["README.md"].Data)
	}
}

func TestMeasureDrift(t *testing.T) {
	t.Parallel()
	repo := generate(t, v100, commitA, map[string]any{"name": "pay"})
	repo["README.md"] = tree.File{Data: []byte("mine\n")}
	delete(repo, "old.txt")
	d, err := Measure(context.Background(), answersOf(t, repo), side(t, v100, commitA), TreeFiles(repo))
	if err != nil {
		t.Fatal(err)
	}
	if d.Total != 4 || d.Unchanged != 2 || d.Share() != 0.5 ||
		strings.Join(d.Changed, ",") != "README.md" || strings.Join(d.Missing, ",") != "old.txt" {
		t.Errorf("drift = %+v", d)
	}
}

type countingHistory struct {
	mu    sync.Mutex
	calls map[string]int
	fail  bool
}

func (h *countingHistory) At(_ context.Context, commit string) (fs.FS, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls[commit]++
	if h.fail {
		return nil, errors.New("unreachable")
	}
	if commit == commitA {
		return v100.platform(), nil
	}
	return v110.platform(), nil
}

func TestSidesLoadEachCommitOnce(t *testing.T) {
	t.Parallel()
	h := &countingHistory{calls: map[string]int{}, fail: true}
	s := NewSides(h)
	if _, err := s.Side(context.Background(), commitA, "svc"); err == nil {
		t.Fatal("a failing history gave a template")
	}
	h.fail = false
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, c := range []string{commitA, commitB} {
				if sd, err := s.Side(context.Background(), c, "svc"); err != nil || sd.Commit != c {
					t.Errorf("Side(%s) = %v, %v", c, sd.Commit, err)
				}
			}
		}()
	}
	wg.Wait()
	if h.calls[commitA] != 2 || h.calls[commitB] != 1 {
		t.Errorf("history reads = %v, want the failed one retried once and each commit read once", h.calls)
	}
	if _, err := s.Side(context.Background(), commitA, "nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown template: %v", err)
	}
}

// apply writes a plan onto the repository's files.
func apply(repo tree.Tree, p *Plan) tree.Tree {
	out := tree.Tree{}
	for path, f := range repo {
		out[path] = f
	}
	for path, f := range p.Files {
		out[path] = f
	}
	for _, path := range p.Deleted {
		delete(out, path)
	}
	return out
}
