package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
)

// TestServeSyncsIntoGitHubCatalog records the catalog in a repository on
// (the fake) GitHub, pushed with the installation's token, and leaves the
// central repository's own pushes out of the catalog.
func TestServeSyncsIntoGitHubCatalog(t *testing.T) {
	t.Parallel()
	a, remote, sha, got := startWithGitHubCatalog(t)
	if !strings.Contains(got, sha) {
		t.Errorf("entity on GitHub does not name its source commit %s:\n%s", sha, got)
	}
	a.waitLog("the central catalog repository is the record, not a source") // its own push webhook
	if log := gitOut(t, remote, "log", "--format=%s", "main"); strings.Count(log, "\n") != 1 || !strings.HasPrefix(log, "sync acme/web@") {
		t.Errorf("central history = %q, want the one sync of acme/web", log)
	}
	if got := gitOut(t, filepath.Join(a.dataDir, "catalog.git"), "rev-parse", "main"); got != gitOut(t, remote, "rev-parse", "main") {
		t.Errorf("local copy at %s, GitHub at %s", got, gitOut(t, remote, "rev-parse", "main"))
	}
	if m := metrics(t, a); !strings.Contains(m, "portico_catalog_pushes_total 1") || !strings.Contains(m, "portico_catalog_unpushed 0") {
		t.Errorf("push metrics:\n%s", grepLines(m, "portico_catalog_"))
	}
}

// TestServeCatchesUpAfterACrash leaves a catalog commit made but never
// pushed, as a crash between the two does, and restarts portico: the
// commit reaches GitHub.
func TestServeCatchesUpAfterACrash(t *testing.T) {
	t.Parallel()
	a, remote, _, _ := startWithGitHubCatalog(t)
	a.stop(syscall.SIGKILL)

	// The commit a crash left behind: made in the local copy, not pushed.
	src := t.TempDir()
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"remote", "add", "origin", "https://github.com/acme/late.git"}} {
		gitOut(t, src, args...)
	}
	must(t, os.WriteFile(filepath.Join(src, "catalog-info.yaml"), []byte(strings.ReplaceAll(syncedWeb, "web-shop", "late-service")), 0o644))
	gitOut(t, src, "add", ".")
	gitOut(t, src, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "late")
	if _, stderr, code := run(t, "", nil, "catalog", "sync", "--central", filepath.Join(a.dataDir, "catalog.git"), src); code != 0 {
		t.Fatalf("catalog sync: exit %d\n%s", code, stderr)
	}
	if _, err := exec.Command("git", "-C", remote, "show", "main:catalog/default/component/late-service.yaml").Output(); err == nil {
		t.Fatal("the commit reached GitHub before the restart")
	}
	a.start()
	waitGitFile(t, a, remote, "catalog/default/component/late-service.yaml")
}

// startWithGitHubCatalog runs portico with its catalog in acme/catalog on
// the fake GitHub and records a descriptor pushed to acme/web: it returns
// the app, the bare repository behind acme/catalog, the pushed commit and
// the entity as GitHub holds it.
func startWithGitHubCatalog(t *testing.T) (a *app, remote, sha, entity string) {
	t.Helper()
	a = newApp(t)
	must(t, a.gh.CreateRepo("acme", "catalog", "main"))
	must(t, a.gh.AddInstallationRepos(a.inst, "catalog"))
	a.env = append(a.env, "PORTICO_CATALOG_REPOSITORY=acme/catalog")
	a.start()
	sha, err := a.gh.Commit("acme", "web", "main", githubtest.Files{"catalog-info.yaml": githubtest.Text(syncedWeb)}, "describe the shop")
	must(t, err)
	remote = filepath.Join(a.gh.Dir(), "repos", "acme", "catalog.git")
	return a, remote, sha, waitGitFile(t, a, remote, "catalog/default/component/web-shop.yaml")
}

// waitGitFile waits for a file on the main branch of a bare repository.
func waitGitFile(t *testing.T, a *app, repo, path string) string {
	t.Helper()
	var got string
	a.waitUntil(path+" in "+repo, func() bool {
		out, err := exec.Command("git", "-C", repo, "show", "main:"+path).Output()
		got = string(out)
		return err == nil
	})
	return got
}

func gitOut(t *testing.T, repo string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", repo}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}
