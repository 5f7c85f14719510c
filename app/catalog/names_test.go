package catalog

import (
	"context"
	"os/exec"
	"strings"
	"testing"
)

// hostileRepos are source names as a payload or an origin could give
// them; each is either refused or stored at paths git accepts.
var hostileRepos = []string{
	".git/x", "acme/.git", "acme/.GIT", "acme/.Git.", "acme/.git..", "acme/git~1", "acme/GIT~1",
	"acme/.gitmodules", "acme/.GITMODULES.", "acme/gitmod~1", "acme/gi7eba~2", "acme/.gitattributes",
	"acme/.gitignore", "acme/.mailmap", "acme/x.git", "..%2f/x", "%2e%2e/x", "acme/%2e%2e",
	"acme/.g\u200cit", "\u200c.git/x", "acme/.git\ufeff", "acme/.git:$DATA", "acme/.git ",
	strings.Repeat("a", 40) + "/x", "acme/" + strings.Repeat("b", 101), "acme/..", "../acme",
	"a--b/x", "-acme/x", "acme-/x", "user@host/x", "acme/x/y", "acme\\x/y",
	// Names GitHub accepts, which must be recorded.
	"acme/.github", "acme/x.gitx", "octocat_acme/dotfiles", "a/" + strings.Repeat("b", 100),
}

// TestHostileNamesKeepFsckClean syncs every hostile source name, and
// entities with hostile names, into one central repository, which real
// `git fsck --strict` must then find clean, with every accepted name
// recorded.
func TestHostileNamesKeepFsckClean(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	ctx := context.Background()
	recorded := 0
	for i, repo := range hostileRepos {
		src := source(repo, sha('a'), map[string]string{"catalog-info.yaml": component("svc-"+strings.Repeat("x", i%3)+string(rune('a'+i%26))+string(rune('a'+i/26)), "team-a")})
		res, err := s.Sync(ctx, src)
		if err != nil {
			if checkRepo(repo) == nil {
				t.Errorf("Sync(%q) refused a name GitHub accepts: %v", repo, err)
			}
			continue
		}
		if len(res.Added) != 1 {
			t.Errorf("Sync(%q) = %+v, want one entity added", repo, res)
		}
		recorded++
	}
	if recorded != 4 {
		t.Errorf("%d sources recorded, want the 4 that GitHub accepts", recorded)
	}
	names := map[string]string{".git": "x", "git~1": "y", "gitmodules": "z", "x.": "w", "a..b": "v", "-a": "u"}
	var files = map[string]string{}
	for n, f := range names {
		files[f+".yaml"] = strings.Replace(component("ok-"+f, "team-a"), "name: ok-"+f, "name: "+n, 1)
	}
	res := mustSync(t, s, source("acme/hostile", sha('b'), files))
	if len(res.Added) != 1 || res.Added[0] != "catalog/default/component/gitmodules.yaml" {
		t.Errorf("entities added %v, want only gitmodules (a valid name that git takes)", res.Added)
	}
	if out, err := exec.Command("git", "-C", dir, "fsck", "--strict", "--no-dangling").CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "" {
		t.Errorf("git fsck --strict: %v\n%s", err, out)
	}
}

// TestCheckTreeName follows git's own checks for the names it reads
// (fsck.c and path.c: is_hfs_dotgit, is_ntfs_dotgit and their siblings).
func TestCheckTreeName(t *testing.T) {
	t.Parallel()
	for c, ok := range map[string]bool{
		"x": true, "gitmodules": true, ".github": true, ".gitx": true, "git~10": true, "catalog-info.yaml": true, "x.git": true,
		"": false, ".": false, "..": false, "a/b": false, `a\b`: false, "a\x00": false,
		".git": false, ".GIT": false, ".git.": false, ".git. .": false, ".git:x": false, "git~1": false, "GIT~1.": false,
		".g\u200cit": false, "\ufeff.git": false, ".gitmodules": false, ".GitModules ": false, "gitmod~4": false,
		"gi7eba~9": false, ".gitattributes": false, "gitatt~1": false, ".gitignore": false, ".mailmap": false, "mailma~1": false,
	} {
		if err := checkTreeName(c); (err == nil) != ok {
			t.Errorf("checkTreeName(%q) = %v, want ok=%v", c, err, ok)
		}
	}
}
