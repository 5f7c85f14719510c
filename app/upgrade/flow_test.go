package upgrade

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/portico-dev/portico/app/templating"
	"github.com/portico-dev/portico/app/templating/plan"
	"github.com/portico-dev/portico/app/tree"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	commitA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	commitB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

// version is one version of the "svc" template.
type version struct {
	number    string
	params    string // extra YAML under properties
	required  string // extra required names, ", x"
	files     map[string]string
	changelog string
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
%s
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
          port: ${{ parameters.port }}
`, v.number, v.required, v.params)
	fsys := fstest.MapFS{"templates/svc/template.yaml": {Data: []byte(yaml)}}
	for p, s := range v.files {
		fsys["templates/svc/skeleton/"+p] = &fstest.MapFile{Data: []byte(s)}
	}
	if v.changelog != "" {
		fsys["templates/svc/CHANGELOG.md"] = &fstest.MapFile{Data: []byte(v.changelog)}
	}
	return fsys
}

const readme = "# ${{ values.name }}\n\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\n"

const descriptorV1 = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\nspec:\n  type: service\n  lifecycle: experimental\n  owner: group:team\n"

var v100 = version{number: "1.0.0", files: map[string]string{
	"README.md":         readme,
	"catalog-info.yaml": descriptorV1,
	"old.txt":           "obsolete\n",
	"kept.txt":          "obsolete too\n",
}}

var v110 = version{number: "1.1.0",
	params: "        port:\n          type: integer\n          default: 8080\n",
	files: map[string]string{
		"README.md":         strings.Replace(readme, "line 7", "line 7, by the template, port ${{ values.port }}", 1),
		"catalog-info.yaml": strings.Replace(descriptorV1, "experimental", "production", 1),
		"new.txt":           "new in 1.1.0\n",
	},
	changelog: "# Changelog\n\n## [1.1.0] - 2026-11-02\n\n### Added\n\n- `new.txt` and a `port` parameter.\n\n## [1.0.0] - 2026-03-01\n\n- First version.\n",
}

// generate renders v at commit as a new repository would hold it.
func generate(t *testing.T, v version, commit string, values map[string]any) tree.Tree {
	t.Helper()
	fsys := v.platform()
	tpl, findings := templating.Load(fsys, "templates/svc/template.yaml")
	if tpl == nil {
		t.Fatalf("load %s: %v", v.number, findings)
	}
	out, err := tpl.Render(context.Background(), fsys, values, templating.Provenance{Commit: commit})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fakePlatform is the platform configuration's history in memory.
type fakePlatform struct {
	commits  map[string]fstest.MapFS
	tip      string
	subjects []string
	reads    int
}

func (p *fakePlatform) At(_ context.Context, commit string) (fs.FS, error) {
	p.reads++
	fsys, ok := p.commits[commit]
	if !ok {
		return nil, fmt.Errorf("no commit %s", commit)
	}
	return fsys, nil
}

func (p *fakePlatform) Tip(context.Context) (string, error) { return p.tip, nil }

func (p *fakePlatform) Subjects(_ context.Context, commit, dir, stop string, limit int) ([]string, error) {
	if commit != p.tip || dir != "templates/svc" || stop != commitA {
		return nil, fmt.Errorf("subjects of %s %s %s", commit, dir, stop)
	}
	return p.subjects, nil
}

// fakeRepo is one repository: its files at the default branch's tip, and
// the fake GitHub Publish writes to.
type fakeRepo struct {
	*fakeGitHub
	files tree.Tree
}

func (r *fakeRepo) Snapshot(context.Context) (Snapshot, error) {
	return Snapshot{Branch: "main", SHA: "base", Files: plan.TreeFiles(r.files)}, nil
}

type fakeConnector struct {
	repos    map[string]*fakeRepo
	platform *fakePlatform
}

func (c *fakeConnector) Repository(_ int64, owner, name string) (Repository, error) {
	r, ok := c.repos[owner+"/"+name]
	if !ok {
		return nil, errors.New("no such repository")
	}
	return r, nil
}

func (c *fakeConnector) Platform(int64) (Platform, error) { return c.platform, nil }

func newConnector(files tree.Tree, tipVersion version) *fakeConnector {
	return &fakeConnector{
		repos:    map[string]*fakeRepo{"acme/pay": {fakeGitHub: newFake(), files: files}},
		platform: &fakePlatform{commits: map[string]fstest.MapFS{commitA: v100.platform(), commitB: tipVersion.platform()}, tip: commitB},
	}
}

var payArgs = Args{InstallationID: 1, Owner: "acme", Repo: "pay", Template: "svc", Version: "1.1.0"}

func run(t *testing.T, c *fakeConnector) (Report, *fakeRepo) {
	t.Helper()
	rep, err := NewFlow(c, nil).Upgrade(context.Background(), payArgs)
	if err != nil {
		t.Fatal(err)
	}
	return rep, c.repos["acme/pay"]
}

// A repository with an edit of its own gets one pull request: the
// merged files, the deletions, the answers at the new version, labelled,
// not a draft, in five writes, its body quoting the changelog.
func TestFlowOpensThePullRequest(t *testing.T) {
	t.Parallel()
	files := generate(t, v100, commitA, map[string]any{"name": "pay"})
	files["README.md"] = tree.File{Data: []byte(strings.Replace(string(files["README.md"].Data), "line 2", "line 2, by the owner", 1))}
	files["kept.txt"] = tree.File{Data: []byte("the owner's now\n")}
	rep, repo := run(t, newConnector(files, v110))
	if rep.Stop != Published || rep.Outcome.Result != Created || rep.Label() != "created" || rep.From != "1.0.0" || rep.To != "1.1.0" {
		t.Fatalf("report %+v", rep)
	}
	if len(repo.writes) > 5 {
		t.Errorf("%d writes, want at most 5: %v", len(repo.writes), repo.writes)
	}
	written := repo.trees[0]
	if got := string(written["README.md"].Data); !strings.Contains(got, "line 2, by the owner") || !strings.Contains(got, "port 8080") {
		t.Errorf("README.md not merged:\n%s", got)
	}
	if a, err := templating.ParseAnswers(written[templating.AnswersPath].Data); err != nil || a.Version != "1.1.0" || a.PlatformCommit != commitB {
		t.Errorf("answers %+v %v", a, err)
	}
	pr := repo.pulls[0]
	if pr.Title != "Upgrade svc template from 1.0.0 to 1.1.0" || repo.drafts[pr.Number] || !slices.Equal(repo.labels[pr.Number], []string{Label}) {
		t.Errorf("pull request %+v draft %v labels %v", pr, repo.drafts[pr.Number], repo.labels[pr.Number])
	}
	golden(t, "body-clean.md", pr.Body)
}

// Overlapping edits open a draft whose body names the conflict and says
// how to resolve it; without a changelog it lists the platform's commits.
func TestFlowConflictOpensADraft(t *testing.T) {
	t.Parallel()
	files := generate(t, v100, commitA, map[string]any{"name": "pay"})
	files["README.md"] = tree.File{Data: []byte(strings.Replace(string(files["README.md"].Data), "line 7", "line 7, by the owner", 1))}
	noLog := v110
	noLog.changelog = ""
	c := newConnector(files, noLog)
	c.platform.subjects = []string{"svc: a port parameter", "svc: production lifecycle"}
	rep, repo := run(t, c)
	if rep.Outcome.Result != Created || rep.Conflicts != 1 || !repo.drafts[1] {
		t.Fatalf("report %+v draft %v", rep, repo.drafts[1])
	}
	golden(t, "body-conflict.md", repo.pulls[0].Body)
}

// Stops before any write: already current, a required parameter new in
// the target, answers missing (Backstage's generation) or broken, or
// another template's repository.
func TestFlowStops(t *testing.T) {
	t.Parallel()
	generated := generate(t, v100, commitA, map[string]any{"name": "pay"})
	required := v110
	required.params += "        team:\n          type: string\n"
	required.required = ", team"
	backstage := tree.Tree{"catalog-info.yaml": generated["catalog-info.yaml"]}
	broken := maps.Clone(generated)
	broken[templating.AnswersPath] = tree.File{Data: []byte("template: [\n")}
	tests := []struct {
		name   string
		files  tree.Tree
		target version
		want   Stop
	}{
		{"current", generated, v100, Current},
		{"missing parameters", generated, required, MissingParameters},
		{"needs answers", backstage, v110, NeedsAnswers},
		{"bad answers", broken, v110, BadAnswers},
		{"not generated", tree.Tree{"README.md": {Data: []byte("hi\n")}}, v110, NotGenerated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep, repo := run(t, newConnector(tt.files, tt.target))
			if rep.Stop != tt.want || rep.Label() != tt.want.String() || len(repo.writes) > 0 {
				t.Fatalf("report %+v writes %v, want %s", rep, repo.writes, tt.want)
			}
			if tt.want == MissingParameters && !slices.Equal(rep.Missing, []string{"team"}) {
				t.Errorf("missing %v", rep.Missing)
			}
		})
	}
}

// A second run with nothing new writes nothing; the repository's
// platform commits load once per flow.
func TestFlowRerunIsUnchanged(t *testing.T) {
	t.Parallel()
	c := newConnector(generate(t, v100, commitA, map[string]any{"name": "pay"}), v110)
	flow := NewFlow(c, nil)
	if _, err := flow.Upgrade(context.Background(), payArgs); err != nil {
		t.Fatal(err)
	}
	repo := c.repos["acme/pay"]
	before := len(repo.writes)
	rep, err := flow.Upgrade(context.Background(), payArgs)
	if err != nil || rep.Outcome.Result != Unchanged || len(repo.writes) != before {
		t.Fatalf("report %+v err %v writes %v", rep, err, repo.writes[before:])
	}
	if c.platform.reads != 2 {
		t.Errorf("platform read %d times, want once per commit", c.platform.reads)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update to accept):\n%s", name, got)
	}
}
