package ghfacts

import (
	"context"
	"slices"
	"testing"

	"github.com/portico-dev/portico/app/facts"
	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/githubtest"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// The facts of a commit on the fake GitHub, whose every request and
// response is checked against GitHub's description: the whole tree in
// one request, the default branch, its protection and the languages.
func TestFromRemote(t *testing.T) {
	t.Parallel()
	fake := githubtest.New(t)
	app, err := fake.CreateApp(githubtest.AppOptions{})
	must(t, err)
	must(t, fake.CreateRepo("acme", "web", "trunk"))
	sha, err := fake.Commit("acme", "web", "trunk", githubtest.Files{
		"README.md": githubtest.Text("web\n"), "src/main.go": githubtest.Text("package main\n"),
		".github/workflows/ci.yml": githubtest.Text("on: push\n"),
	}, "init")
	must(t, err)
	must(t, fake.SetLanguages("acme", "web", map[string]int{"Shell": 10, "Go": 900}))
	inst, err := fake.CreateInstallation(app.ID, "acme", "web")
	must(t, err)
	apps, err := gh.NewApps(app.ID, app.PrivateKeyPEM, fake.URL())
	must(t, err)
	c, err := apps.Installation(inst)
	must(t, err)

	const getTree = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}"
	before := fake.Requests()[getTree]
	r, err := facts.FromRemote(context.Background(), New(c, "acme", "web"), "acme/web", sha)
	must(t, err)
	want := []string{".github/workflows/ci.yml", "README.md", "src/main.go"}
	if !slices.Equal(r.Files, want) || r.DefaultBranch != "trunk" || r.Protected || !slices.Equal(r.Languages, []string{"Go", "Shell"}) {
		t.Errorf("facts %+v, want files %q on unprotected trunk, Go then Shell", r, want)
	}
	if trees := fake.Requests()[getTree] - before; trees != 1 {
		t.Errorf("%d tree requests, want 1", trees)
	}

	must(t, fake.ProtectBranch("acme", "web", "trunk", true))
	if p, err := New(c, "acme", "web").Protected(context.Background(), "trunk"); err != nil || !p {
		t.Errorf("Protected = %v, %v after ProtectBranch", p, err)
	}
	if _, err := New(c, "acme", "web").Protected(context.Background(), "gone"); err == nil {
		t.Error("Protected of a missing branch: no error")
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("requests GitHub would refuse: %v", v)
	}
}
