package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
)

// TestValidateCatalogOnGitHub checks references against a central catalog
// read from a private repository on (the fake) GitHub, named owner/name,
// with GITHUB_TOKEN, as the Action does.
func TestValidateCatalogOnGitHub(t *testing.T) {
	t.Parallel()
	fake, token := fakeCatalogRepo(t)
	pushed := strings.Replace(fake.GitURL("acme", "catalog"), "://", "://x-access-token:"+token+"@", 1)
	if out, err := exec.Command("git", "-C", centralOf(t, "cart"), "push", "-q", pushed, "main").CombinedOutput(); err != nil {
		t.Fatalf("push the catalog: %v\n%s", err, out)
	}
	dir := t.TempDir()
	writeDescriptor(t, dir, strings.ReplaceAll(catalogComponent, "%s", "web")+"  dependsOn: [component:cart, component:ghost]\n")
	env := map[string]string{"GITHUB_SERVER_URL": fake.URL(), "GITHUB_TOKEN": token}
	code, out := runMainEnv(t, env, "validate", "--backstage-only", "--catalog", "acme/catalog", dir)
	if code != ExitOK || strings.Count(out, "catalog/reference") != 2 || !strings.Contains(out, "component:default/ghost") || strings.Contains(out, "component:default/cart,") {
		t.Errorf("exit %d, want the owner and ghost unresolved, cart found in the catalog:\n%s", code, out)
	}
	delete(env, "GITHUB_TOKEN")
	if code, out := runMainEnv(t, env, "validate", "--backstage-only", "--catalog", "acme/catalog", dir); code != ExitUsage || strings.Contains(out, token) {
		t.Errorf("private catalog without a token: exit %d\n%s", code, out)
	}
}

func TestTokenOnlyForTheGitHubServer(t *testing.T) {
	t.Parallel()
	const server = "https://github.example.com"
	for url, want := range map[string]bool{
		"https://github.example.com/acme/catalog.git":    true,
		"https://GITHUB.example.com/acme/catalog.git":    true,
		"https://evil.example.net/acme/catalog.git":      false,
		"http://github.example.com/acme/catalog.git":     false,
		"https://u:p@github.example.com/acme/x.git":      false,
		"https://github.example.com.evil.net/acme/x.git": false,
	} {
		if got := tokenFor(url, server, "s3cret") != nil; got != want {
			t.Errorf("token sent to %s: %v, want %v", url, got, want)
		}
	}
	if tokenFor(server+"/a/b.git", server, "") != nil {
		t.Error("auth without a token")
	}
}

// fakeCatalogRepo is a fake GitHub with an empty private acme/catalog and
// a token that may write it.
func fakeCatalogRepo(t *testing.T) (*githubtest.Server, string) {
	t.Helper()
	fake := githubtest.New(t)
	if err := fake.CreateRepo("acme", "catalog", "main"); err != nil {
		t.Fatal(err)
	}
	token, err := fake.InstallationToken("acme")
	if err != nil {
		t.Fatal(err)
	}
	return fake, token
}

func runMainEnv(t *testing.T, env map[string]string, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(k string) string { return env[k] }})
	return code, out.String() + errb.String()
}

func writeDescriptor(t *testing.T, dir, doc string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCatalogSyncIntoGitHub records a checkout into a central catalog on
// (the fake) GitHub named owner/name, pushed with GITHUB_TOKEN, as a
// workflow without the App would.
func TestCatalogSyncIntoGitHub(t *testing.T) {
	t.Parallel()
	fake, token := fakeCatalogRepo(t)
	src := sourceRepo(t, "https://github.com/acme/shop.git", map[string]string{"catalog-info.yaml": strings.ReplaceAll(catalogComponent, "%s", "cart")})
	env := map[string]string{"GITHUB_SERVER_URL": fake.URL(), "GITHUB_TOKEN": token}
	code, out := runCatalogEnv(t, env, "--central", "acme/catalog", src)
	if code != ExitOK || !strings.Contains(out, "committed") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	remote := filepath.Join(fake.Dir(), "repos", "acme", "catalog.git")
	got, err := exec.Command("git", "-C", remote, "show", "main:catalog/default/component/cart.yaml").CombinedOutput()
	if err != nil || !strings.Contains(string(got), "acme/shop") {
		t.Errorf("entity on GitHub: %v\n%s", err, got)
	}
	if code, out := runCatalogEnv(t, env, "--central", "acme/catalog", src); code != ExitOK || !strings.Contains(out, "no change") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
	delete(env, "GITHUB_TOKEN")
	if code, out := runCatalogEnv(t, env, "--central", "acme/catalog", src); code != ExitUsage || strings.Contains(out, token) {
		t.Errorf("without a token: exit %d\n%s", code, out)
	}
}

func runCatalogEnv(t *testing.T, env map[string]string, args ...string) (int, string) {
	t.Helper()
	return runMainEnv(t, env, append([]string{"catalog", "sync"}, args...)...)
}
