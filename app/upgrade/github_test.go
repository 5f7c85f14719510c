package upgrade

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"

	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/githubtest"
	"github.com/portico-dev/portico/app/tree"
)

// maxWrites is the budget of write requests per upgrade pull
// request.
const maxWrites = 5

type world struct {
	fake   *githubtest.Server
	client *github.Client
	repo   *Repo
	base   string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	fake := githubtest.New(t)
	app, err := fake.CreateApp(githubtest.AppOptions{})
	must(t, err)
	must(t, fake.CreateRepo("acme", "svc", "trunk"))
	base, err := fake.Commit("acme", "svc", "trunk", githubtest.Files{
		"README.md": githubtest.Text("svc\n"), "Makefile": githubtest.Text("all:\n"), "old.txt": githubtest.Text("old\n"),
	}, "generated from the service template 1.0.0")
	must(t, err)
	inst, err := fake.CreateInstallation(app.ID, "acme", "svc")
	must(t, err)
	apps, err := gh.NewApps(app.ID, app.PrivateKeyPEM, fake.URL())
	must(t, err)
	c, err := apps.Installation(inst)
	must(t, err)
	return &world{fake: fake, client: c, repo: NewRepo(c, "acme", "svc"), base: base}
}

func (w *world) proposal(to string) Proposal {
	return Proposal{
		Template: "service", From: "1.0.0", To: to, DefaultBranch: "trunk", BaseSHA: w.base,
		Files: tree.Tree{
			"README.md":        {Data: []byte("svc at " + to + "\n")},
			"scripts/build.sh": {Data: []byte("#!/bin/sh\nmake\n"), Mode: tree.Executable},
			"docs/current":     {Data: []byte("../README.md"), Mode: tree.Symlink},
		},
		Deleted: []string{"old.txt"}, Title: Title("service", "1.0.0", to),
		Body: "Files changed: README.md\n", Labels: []string{"portico", "template-upgrade"},
	}
}

// writes counts the write requests Publish makes, from the fake's log.
func (w *world) publish(t *testing.T, p Proposal) (Outcome, int) {
	t.Helper()
	before := countWrites(w.fake.Requests())
	out, err := Publish(context.Background(), w.repo, p)
	must(t, err)
	w.fake.WaitDeliveries()
	writes := countWrites(w.fake.Requests()) - before
	t.Logf("%s %s: %s, %d writes", p.Template, p.To, out.Result, writes)
	return out, writes
}

func countWrites(reqs map[string]int) int {
	n := 0
	for k, v := range reqs {
		// The installation token the client fetches is not the upgrade's.
		if !strings.HasPrefix(k, "GET ") && strings.Contains(k, " /repos/") {
			n += v
		}
	}
	return n
}

// The whole life of an upgrade pull request on the fake GitHub, with a
// real paced go-github client: opened within the write budget, a re-run
// writes nothing, a newer version supersedes it in place, a person's push
// gets one comment and then silence, and a closed version is never
// reopened while a newer one opens a fresh pull request.
func TestPublishOnGitHub(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()

	out, writes := w.publish(t, w.proposal("1.1.0"))
	if out.Result != Created || writes > maxWrites || out.Number == 0 || out.URL == "" {
		t.Fatalf("first publish: %+v with %d writes, want created within %d", out, writes, maxWrites)
	}
	pr, err := w.fake.PullRequest("acme", "svc", out.Number)
	must(t, err)
	if pr.Title != "Upgrade service template from 1.0.0 to 1.1.0" || pr.Head != "portico/template/service" || pr.Base != "trunk" {
		t.Errorf("pull request %+v", pr)
	}
	if labels := w.fake.Labels("acme", "svc", out.Number); len(labels) != 2 {
		t.Errorf("labels %v, want portico and template-upgrade", labels)
	}
	w.checkBranch(ctx, t, "svc at 1.1.0\n")

	out, writes = w.publish(t, w.proposal("1.1.0"))
	if out.Result != Unchanged || writes != 0 || out.Number != pr.Number {
		t.Errorf("re-run: %+v with %d writes, want unchanged #%d and none", out, writes, pr.Number)
	}

	out, writes = w.publish(t, w.proposal("1.2.0"))
	if out.Result != Updated || writes > maxWrites || out.Number != pr.Number {
		t.Errorf("newer version: %+v with %d writes, want #%d updated", out, writes, pr.Number)
	}
	pr, _ = w.fake.PullRequest("acme", "svc", pr.Number)
	if pr.Title != "Upgrade service template from 1.0.0 to 1.2.0" {
		t.Errorf("superseded title %q", pr.Title)
	}
	w.checkBranch(ctx, t, "svc at 1.2.0\n")

	human, err := w.fake.PushToPullRequest("acme", "svc", pr.Number, githubtest.Files{"README.md": githubtest.Text("mine\n")}, "my fix")
	must(t, err)
	for i := range 2 {
		out, writes = w.publish(t, w.proposal("1.3.0"))
		if out.Result != SkippedHumanEdit || writes > 1 {
			t.Errorf("run %d after a person's push: %+v with %d writes", i, out, writes)
		}
	}
	if n := len(w.fake.Comments("acme", "svc", pr.Number)); n != 1 {
		t.Errorf("%d comments after two runs, want 1", n)
	}
	if tip, _ := w.repo.Branch(ctx, "portico/template/service"); tip != human {
		t.Errorf("branch at %s, want the person's %s", tip, human)
	}

	must(t, w.fake.ClosePullRequest("acme", "svc", pr.Number))
	out, writes = w.publish(t, w.proposal("1.2.0"))
	if out.Result != SkippedClosed || writes != 0 {
		t.Errorf("closed version: %+v with %d writes, want skipped without a write", out, writes)
	}
	out, writes = w.publish(t, w.proposal("1.4.0"))
	if out.Result != Created || out.Number == pr.Number || writes > maxWrites {
		t.Errorf("newer version after a close: %+v with %d writes, want a fresh pull request", out, writes)
	}
	if closed, _ := w.fake.PullRequest("acme", "svc", pr.Number); closed.State != "closed" {
		t.Errorf("closed pull request is %s", closed.State)
	}
	if v := w.fake.Violations(); len(v) != 0 {
		t.Errorf("violations: %v", v)
	}
}

// checkBranch reads the upgrade branch back through the API: the files,
// their modes, the deletion and the untouched file.
func (w *world) checkBranch(ctx context.Context, t *testing.T, readme string) {
	t.Helper()
	tip, err := w.repo.Branch(ctx, "portico/template/service")
	must(t, err)
	tr, _, err := w.client.Git.GetTree(ctx, "acme", "svc", tip, true)
	must(t, err)
	modes := map[string]string{}
	for _, e := range tr.Entries {
		modes[e.GetPath()] = e.GetMode()
	}
	if modes["scripts/build.sh"] != "100755" || modes["docs/current"] != "120000" || modes["Makefile"] != "100644" || modes["old.txt"] != "" {
		t.Errorf("branch tree modes %v", modes)
	}
	w.checkFiles(ctx, t, tip, map[string]string{"README.md": readme})
}

func (w *world) checkFiles(ctx context.Context, t *testing.T, tip string, files map[string]string) {
	t.Helper()
	for path, want := range files {
		f, _, _, err := w.client.Repositories.GetContents(ctx, "acme", "svc", path, &github.RepositoryContentGetOptions{Ref: tip})
		must(t, err)
		if got, _ := f.GetContent(); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
}

// A file that is not UTF-8 cannot be inline content: it costs one blob
// write of its own and arrives byte for byte.
func TestPublishBinaryFile(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.proposal("1.1.0")
	p.Files["logo.png"] = tree.File{Data: []byte{0x89, 'P', 'N', 'G', 0, 0xff}}
	out, writes := w.publish(t, p)
	if out.Result != Created || writes != maxWrites+1 {
		t.Errorf("%+v with %d writes, want created with %d", out, writes, maxWrites+1)
	}
	tip, err := w.repo.Branch(context.Background(), "portico/template/service")
	must(t, err)
	w.checkFiles(context.Background(), t, tip, map[string]string{"logo.png": "\x89PNG\x00\xff"})
	if v := w.fake.Violations(); len(v) != 0 {
		t.Errorf("violations: %v", v)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
