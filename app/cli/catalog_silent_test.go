package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runSplit runs portico in process and keeps stdout and stderr apart.
func runSplit(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

// TestCatalogUnknownEntity: asking about an entity the catalog does not
// hold is not a success: stderr says so and the exit code is 1, while
// the entities it does hold are still shown.
func TestCatalogUnknownEntity(t *testing.T) {
	t.Parallel()
	central, _ := historyCentral(t)
	tests := []struct {
		args       []string
		code       int
		stdout     string
		stderrPart string
	}{
		{[]string{"graph", "--central", central, "ghost"}, ExitFindings, "component:default/ghost\n", "portico: component:default/ghost is not in the catalog\n"},
		{[]string{"graph", "--central", central, "ui", "api:nope"}, ExitFindings, "component:default/ui\napi:default/nope\n", "portico: api:default/nope is not in the catalog\n"},
		{[]string{"graph", "--central", central, "ui"}, ExitOK, "component:default/ui\n", ""},
		{[]string{"log", "--central", central, "ghost"}, ExitFindings, "", "portico: component:default/ghost was never recorded in the catalog\n"},
		{[]string{"log", "--central", central, "group:team-a"}, ExitFindings, "", "portico: group:default/team-a was never recorded in the catalog\n"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runSplit(t, append([]string{"catalog"}, tt.args...)...)
		if code != tt.code || stdout != tt.stdout || stderr != tt.stderrPart {
			t.Errorf("catalog %q: exit %d, stdout %q, stderr %q; want %d, %q, %q", tt.args, code, stdout, stderr, tt.code, tt.stdout, tt.stderrPart)
		}
	}
}

// TestCatalogSyncUncommitted: a checkout with uncommitted changes to its
// descriptors is synced at its commit, and stderr names the files that
// were left out; other uncommitted files draw no warning.
func TestCatalogSyncUncommitted(t *testing.T) {
	t.Parallel()
	central := filepath.Join(t.TempDir(), "central.git")
	src := sourceRepo(t, "https://github.com/acme/shop.git", map[string]string{
		"catalog-info.yaml":   strings.ReplaceAll(catalogComponent, "%s", "shop"),
		"a/catalog-info.yaml": strings.ReplaceAll(catalogComponent, "%s", "a"),
	})
	head := strings.TrimSpace(gitRun(t, src, "rev-parse", "--short=7", "HEAD"))
	write := func(p, content string) {
		t.Helper()
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(src, p)), 0o755))
		must(t, os.WriteFile(filepath.Join(src, p), []byte(content), 0o644))
	}
	write("README.md", "not a descriptor")
	code, stdout, stderr := runSplit(t, "catalog", "sync", "--central", central, src)
	if code != ExitOK || stderr != "" || !strings.Contains(stdout, "committed") {
		t.Fatalf("clean descriptors: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	write("catalog-info.yaml", strings.ReplaceAll(catalogComponent, "%s", "shop-renamed"))
	write("b/catalog-info.yaml", strings.ReplaceAll(catalogComponent, "%s", "b"))
	must(t, os.Remove(filepath.Join(src, "a", "catalog-info.yaml")))
	code, stdout, stderr = runSplit(t, "catalog", "sync", "--central", central, src)
	want := "portico: warning: " + src + " has uncommitted changes to a/catalog-info.yaml, b/catalog-info.yaml, catalog-info.yaml; they are not synced: the catalog records commit " + head + " (commit them and sync again)\n"
	if code != ExitOK || stdout != "acme/shop@"+head+": no change\n" || stderr != want {
		t.Errorf("uncommitted descriptors: exit %d, stdout %q, stderr\n%q\nwant\n%q", code, stdout, stderr, want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
