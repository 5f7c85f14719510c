package catalog

import (
	"strings"
	"testing"
)

func TestParseOrigin(t *testing.T) {
	t.Parallel()
	tests := []struct{ remote, repo, web string }{
		{"https://github.com/acme/shop.git", "acme/shop", "https://github.com/acme/shop"},
		{"https://github.com/acme/shop", "acme/shop", "https://github.com/acme/shop"},
		{"https://x-access-token:ghs_secret@github.com/acme/shop.git", "acme/shop", "https://github.com/acme/shop"},
		{"git@github.com:acme/shop.git", "acme/shop", "https://github.com/acme/shop"},
		{"ssh://git@ghe.example.com:2222/acme/shop.git", "acme/shop", "https://ghe.example.com/acme/shop"},
		{"https://github.com/octocat_acme/.github", "octocat_acme/.github", "https://github.com/octocat_acme/.github"},
		{"/srv/git/acme/shop.git", "acme/shop", "/srv/git/acme/shop.git"},
		{"file:///srv/My Repos/shop", "My-Repos/shop", "file:///srv/My Repos/shop"},
		{"shop", "local/shop", "shop"},
		{"/srv/.git/x.git", "git/x", "/srv/.git/x.git"},
		{"/srv/repos/.gitmodules", "repos/unnamed", "/srv/repos/.gitmodules"},
		{"/srv/_/x.GIT.git", "local/x", "/srv/_/x.GIT.git"},
	}
	for _, tt := range tests {
		repo, web, err := parseOrigin(tt.remote)
		if err != nil || repo != tt.repo || web != tt.web {
			t.Errorf("parseOrigin(%q) = %q, %q, %v; want %q, %q", tt.remote, repo, web, err, tt.repo, tt.web)
		}
		if err := checkRepo(repo); err != nil {
			t.Errorf("parseOrigin(%q) gave an unusable name: %v", tt.remote, err)
		}
	}
}

// TestParseOriginRefuses: a hosted origin names its repository, so one
// whose owner or name GitHub would refuse is refused, not renamed.
func TestParseOriginRefuses(t *testing.T) {
	t.Parallel()
	for _, remote := range []string{
		"https://example.com/.git/x.git",
		"https://github.com/../..",
		"https://github.com/%2e%2e/x",
		"https://github.com/acme/.GIT",
		"https://github.com/acme/x.git.git",
		"https://github.com/acme/.gitmodules",
		"https://github.com/acme/.git.",
		"https://github.com/acme/git~1",
		"https://github.com/-acme/x",
		"https://github.com/ac--me/x",
		"https://github.com/a.b/x",
		"https://github.com/acme/sh\u200cop",
		"https://github.com/" + strings.Repeat("a", 40) + "/x",
		"https://github.com/acme/" + strings.Repeat("a", 101),
		"https://user:hunter2@github.com/acme/..",
		"git@github.com:.git/x.git",
		"git@github.com:acme/.Gitattributes",
		"git@github.com:shop",
	} {
		repo, _, err := parseOrigin(remote)
		if err == nil {
			t.Errorf("parseOrigin(%q) = %q, want refused", remote, repo)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("parseOrigin(%q): the error shows the password: %v", remote, err)
		}
	}
}
