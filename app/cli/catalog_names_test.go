package cli

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCatalogSyncHostileOrigins syncs checkouts whose origins would put
// paths git refuses into the central repository: each is refused with a
// message naming the problem, the good ones are recorded, and real
// `git fsck --strict` finds the central repository clean.
func TestCatalogSyncHostileOrigins(t *testing.T) {
	t.Parallel()
	central := filepath.Join(t.TempDir(), "central.git")
	refused := []string{
		"https://example.com/.git/x.git",
		"https://example.com/..",
		"https://example.com/%2e%2e/x",
		"https://example.com/acme/.GIT",
		"https://example.com/acme/.gitmodules",
		"https://example.com/acme/git~1",
		"https://example.com/acme/.git.",
		"https://example.com/acme/.g%E2%80%8Cit",
		"https://example.com/" + strings.Repeat("o", 40) + "/x",
		"https://example.com/acme/" + strings.Repeat("n", 101),
		"https://user:hunter2@example.com/.git/x",
		"git@example.com:.git/x.git",
		"git@example.com:acme/.Gitattributes",
	}
	for i, origin := range refused {
		src := sourceRepo(t, origin, map[string]string{"catalog-info.yaml": strings.ReplaceAll(catalogComponent, "%s", "svc"+string(rune('a'+i)))})
		code, out := runCatalog(t, "--central", central, src)
		if code != ExitUsage || !strings.Contains(out, "does not name a repository") || strings.Contains(out, "hunter2") {
			t.Errorf("origin %q: exit %d, output:\n%s", origin, code, out)
		}
	}
	for i, origin := range []string{"https://user:hunter2@example.com/acme/web.git", "git@example.com:acme/.github", "/srv/.git/x.git"} {
		src := sourceRepo(t, origin, map[string]string{"catalog-info.yaml": strings.ReplaceAll(catalogComponent, "%s", "ok"+string(rune('a'+i)))})
		if code, out := runCatalog(t, "--central", central, src); code != ExitOK || !strings.Contains(out, "committed") {
			t.Errorf("origin %q: exit %d, output:\n%s", origin, code, out)
		}
	}
	sources := gitRun(t, central, "ls-tree", "-r", "--name-only", "main", ".portico/sources")
	if want := ".portico/sources/acme/.github.tsv\n.portico/sources/acme/web.tsv\n.portico/sources/git/x.tsv\n"; sources != want {
		t.Errorf("sources recorded:\n%s\nwant:\n%s", sources, want)
	}
	if out, err := exec.Command("git", "-C", central, "fsck", "--strict", "--no-dangling").CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("git fsck --strict: %v\n%s", err, out)
	}
}
