package githubtest

import (
	"crypto/rand"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"
)

// gitCmd runs the real git client in dir.
func gitCmd(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=Dev", "-c", "user.email=dev@example.com"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0")
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func authURL(t *testing.T, f *fixture, token string) string {
	u, err := url.Parse(f.srv.GitURL("octo-org", "hello"))
	must(t, err)
	u.User = url.UserPassword("x-access-token", token)
	return u.String()
}

func TestGitCloneAndPush(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	dir := t.TempDir()
	if out, err := gitCmd(t, dir, "clone", "--quiet", f.srv.GitURL("octo-org", "hello"), "anon"); err == nil {
		t.Errorf("anonymous clone of a private repository worked: %s", out)
	}
	if out, err := gitCmd(t, dir, "clone", "--quiet", authURL(t, f, f.token(t)), "work"); err != nil {
		t.Fatalf("clone: %v: %s", err, out)
	}
	work := filepath.Join(dir, "work")
	if head, _ := gitCmd(t, work, "rev-parse", "HEAD"); head != f.sha {
		t.Fatalf("cloned HEAD %s, want %s", head, f.sha)
	}
	must(t, os.WriteFile(filepath.Join(work, "pushed.yaml"), []byte("pushed: true\n"), 0o644))
	for _, args := range [][]string{{"add", "."}, {"commit", "--quiet", "-m", "pushed over HTTP"}, {"push", "--quiet", "origin", "main", "main:feature"}} {
		if out, err := gitCmd(t, work, args...); err != nil {
			t.Fatalf("git %s: %v: %s", args[0], err, out)
		}
	}
	head, _ := gitCmd(t, work, "rev-parse", "HEAD")
	f.srv.WaitDeliveries()
	c, _, err := f.client.Repositories.GetCommit(t.Context(), "octo-org", "hello", "feature", nil)
	must(t, err)
	if c.GetSHA() != head || c.GetCommit().GetMessage() != "pushed over HTTP" {
		t.Errorf("REST sees %s %q after the push, want %s", c.GetSHA(), c.GetCommit().GetMessage(), head)
	}
	pushes := f.hooks.find("push", "")
	if len(pushes) != 2 {
		t.Fatalf("push deliveries = %d, want 2 (main and feature)", len(pushes))
	}
	refs := map[string]map[string]any{}
	for _, p := range pushes {
		refs[p.payload["ref"].(string)] = p.payload
	}
	main, feature := refs["refs/heads/main"], refs["refs/heads/feature"]
	if main == nil || main["before"] != f.sha || main["after"] != head || main["created"] != false {
		t.Errorf("push to main = %v", main)
	}
	if feature == nil || feature["created"] != true || feature["pusher"].(map[string]any)["name"] != f.app.Slug+"[bot]" {
		t.Errorf("push creating feature = %v", feature)
	}
	commits := main["commits"].([]any)
	if len(commits) != 1 || commits[0].(map[string]any)["added"].([]any)[0] != "pushed.yaml" {
		t.Errorf("pushed commits = %v", commits)
	}
}

// TestGitLargePush pushes a pack larger than git's post buffer, which git
// sends with chunked encoding.
func TestGitLargePush(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	dir := t.TempDir()
	if out, err := gitCmd(t, dir, "clone", "--quiet", authURL(t, f, f.token(t)), "w"); err != nil {
		t.Fatal(out)
	}
	w := filepath.Join(dir, "w")
	big := make([]byte, 2<<20)
	rand.Read(big)
	must(t, os.WriteFile(filepath.Join(w, "big.bin"), big, 0o644))
	for _, args := range [][]string{{"add", "."}, {"commit", "--quiet", "-m", "big"}, {"push", "--quiet", "origin", "main"}} {
		if out, err := gitCmd(t, w, args...); err != nil {
			t.Fatalf("git %s: %v: %s", args[0], err, out)
		}
	}
	f.srv.WaitDeliveries()
	if len(f.hooks.find("push", "")) != 1 {
		t.Error("no push webhook after a large push")
	}
}

func TestGitPushSynchronizesPullRequest(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, err := f.srv.Commit("octo-org", "hello", "feature", Files{"a": Text("a")}, "a")
	must(t, err)
	pr, err := f.srv.OpenPullRequest("octo-org", "hello", "feature", "main", "pr")
	must(t, err)
	dir := t.TempDir()
	if out, err := gitCmd(t, dir, "clone", "--quiet", "--branch", "feature", authURL(t, f, f.token(t)), "w"); err != nil {
		t.Fatalf("clone: %v: %s", err, out)
	}
	w := filepath.Join(dir, "w")
	if out, err := gitCmd(t, w, "commit", "--quiet", "--allow-empty", "-m", "more"); err != nil {
		t.Fatal(out)
	}
	if out, err := gitCmd(t, w, "push", "--quiet", "--force", "origin", "HEAD~1:feature"); err != nil {
		t.Fatal(out)
	}
	if out, err := gitCmd(t, w, "push", "--quiet", "origin", "feature"); err != nil {
		t.Fatal(out)
	}
	head, _ := gitCmd(t, w, "rev-parse", "HEAD")
	f.srv.WaitDeliveries()
	sync := f.hooks.find("pull_request", "synchronize")
	if len(sync) != 1 || sync[0].payload["after"] != head || sync[0].payload["before"] != pr.HeadSHA {
		t.Errorf("synchronize = %v", sync)
	}
	got, _, err := f.client.PullRequests.Get(t.Context(), "octo-org", "hello", pr.Number)
	must(t, err)
	if got.GetHead().GetSHA() != head {
		t.Errorf("pull request head %s, want %s", got.GetHead().GetSHA(), head)
	}
	if out, err := gitCmd(t, w, "push", "--quiet", "--force", "origin", "HEAD~1:feature"); err != nil {
		t.Fatal(out)
	}
	f.srv.WaitDeliveries()
	if last := f.hooks.find("push", ""); last[len(last)-1].payload["forced"] != true {
		t.Errorf("a force push is not reported as forced")
	}
}

func TestGitAuth(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	must(t, f.srv.CreateRepo("someone", "else", ""))
	_, err := f.srv.Commit("someone", "else", "main", Files{"a": Text("a")}, "a")
	must(t, err)
	dir := t.TempDir()
	other, err := url.Parse(f.srv.GitURL("someone", "else"))
	must(t, err)
	other.User = url.UserPassword("x-access-token", f.token(t))
	if out, err := gitCmd(t, dir, "clone", "--quiet", other.String(), "x"); err == nil {
		t.Errorf("cloned a repository the installation cannot reach: %s", out)
	}
	if out, err := gitCmd(t, dir, "clone", "--quiet", authURL(t, f, "ghs_wrong"), "y"); err == nil {
		t.Errorf("cloned with a wrong token: %s", out)
	}
	must(t, f.srv.SetVisibility("someone", "else", false))
	if out, err := gitCmd(t, dir, "clone", "--quiet", f.srv.GitURL("someone", "else"), "public"); err != nil {
		t.Fatalf("anonymous clone of a public repository: %s", out)
	}
	if out, err := gitCmd(t, filepath.Join(dir, "public"), "push", "--quiet", "origin", "main:other"); err == nil {
		t.Errorf("anonymous push worked: %s", out)
	}
	_, _, err = f.client.Repositories.GetCommit(t.Context(), "octo-org", "hello", "other", (*github.ListOptions)(nil))
	if status(err) != 422 {
		t.Errorf("a ref nobody pushed: %v", err)
	}
}

func TestInstallationTokenPushes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tok, err := f.srv.InstallationToken("octo-org")
	must(t, err)
	dir := t.TempDir()
	if out, err := gitCmd(t, dir, "clone", "--quiet", authURL(t, f, tok), "work"); err != nil {
		t.Fatalf("clone with the token: %v: %s", err, out)
	}
	work := filepath.Join(dir, "work")
	must(t, os.WriteFile(filepath.Join(work, "notes.md"), []byte("hi\n"), 0o644))
	for _, args := range [][]string{{"add", "notes.md"}, {"commit", "--quiet", "-m", "notes"}, {"push", "--quiet", "origin", "HEAD"}} {
		if out, err := gitCmd(t, work, args...); err != nil {
			t.Fatalf("git %v: %v: %s", args, err, out)
		}
	}
}
