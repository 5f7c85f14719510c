package catalog

import "testing"

func TestParseOrigin(t *testing.T) {
	t.Parallel()
	tests := []struct{ remote, repo, web string }{
		{"https://github.com/acme/shop.git", "acme/shop", "https://github.com/acme/shop"},
		{"https://github.com/acme/shop", "acme/shop", "https://github.com/acme/shop"},
		{"git@github.com:acme/shop.git", "acme/shop", "https://github.com/acme/shop"},
		{"ssh://git@ghe.example.com:2222/acme/shop.git", "acme/shop", "https://ghe.example.com/acme/shop"},
		{"/srv/git/acme/shop.git", "acme/shop", "/srv/git/acme/shop.git"},
		{"file:///srv/My Repos/shop", "My-Repos/shop", "file:///srv/My Repos/shop"},
		{"shop", "local/shop", "shop"},
		{"https://github.com/../..", "unnamed/unnamed", "https://github.com/../.."},
	}
	for _, tt := range tests {
		repo, web := parseOrigin(tt.remote)
		if repo != tt.repo || web != tt.web {
			t.Errorf("parseOrigin(%q) = %q, %q; want %q, %q", tt.remote, repo, web, tt.repo, tt.web)
		}
		if err := checkRepo(repo); err != nil {
			t.Errorf("parseOrigin(%q) gave an unusable name: %v", tt.remote, err)
		}
	}
}
