package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
	"github.com/portico-dev/portico/app/setup"
)

// TestLeastPrivilege runs portico as an App with exactly the permissions
// and events the setup page asks for, with a central catalog on GitHub
// (the most it asks for), through every flow that needs one of them: the
// fake GitHub answers 403 to a request they do not cover and sends no
// event they do not subscribe to, so a feature that starts using more
// fails here until the manifest (and the README's upgrade note) says so.
// The pull request check needs checks: write, pull_requests: read and
// contents: read; discovery metadata: read; the central catalog
// contents: write.
func TestLeastPrivilege(t *testing.T) {
	t.Parallel()
	a := &app{t: t, addr: freeAddr(t), dataDir: t.TempDir(), logs: &lockedBuffer{}}
	a.gh = githubtest.New(t)
	var err error
	a.cred, err = a.gh.CreateApp(githubtest.AppOptions{WebhookURL: "http://" + a.addr + "/webhooks", WebhookSecret: "e2e-secret",
		Permissions: setup.Permissions(setup.Needs{CentralCatalog: true}), Events: setup.Events()})
	must(t, err)
	for _, repo := range []string{"web", "catalog"} {
		must(t, a.gh.CreateRepo("acme", repo, "main"))
	}
	_, err = a.gh.Commit("acme", "web", "main", githubtest.Files{"README.md": githubtest.Text("# web\n")}, "initial")
	must(t, err)
	a.env = append(a.env, "PORTICO_CATALOG_REPOSITORY=acme/catalog")
	a.start()
	a.inst, err = a.gh.CreateInstallation(a.cred.ID, "acme") // discovery lists acme's repositories
	must(t, err)

	_, err = a.gh.Commit("acme", "web", "feature", githubtest.Files{"catalog-info.yaml": githubtest.Text(brokenWeb)}, "describe")
	must(t, err)
	pr, err := a.gh.OpenPullRequest("acme", "web", "feature", "main", "Describe the shop")
	must(t, err)
	if run := a.waitCheck(pr.HeadSHA); run.Conclusion != "failure" || len(run.Annotations) == 0 {
		t.Errorf("check %q with %d annotations, want a failure with annotations", run.Conclusion, len(run.Annotations))
	}
	sha, err := a.gh.Commit("acme", "web", "main", githubtest.Files{"catalog-info.yaml": githubtest.Text(syncedWeb)}, "describe the shop")
	must(t, err)
	remote := filepath.Join(a.gh.Dir(), "repos", "acme", "catalog.git")
	if got := waitGitFile(t, a, remote, "catalog/default/component/web-shop.yaml"); !strings.Contains(got, sha) {
		t.Errorf("the central catalog on GitHub does not hold the push %s:\n%s", sha, got)
	}
	for _, refused := range []string{": 403 ", "Resource not accessible", "not granted"} {
		if strings.Contains(a.logs.String(), refused) {
			t.Errorf("GitHub refused portico something (%q):\n%s", refused, a.logs)
		}
	}
}
