package catalog

import (
	"strings"
	"testing"
)

func TestEntityPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ns, kind, name string
		want           string // "" means refused
	}{
		{"default", "Component", "api", "catalog/default/component/api.yaml"},
		{"team-a", "API", "Pets_v1.2", "catalog/team-a/api/pets_v1.2.yaml"},
		{"default", "Component", "../../etc/passwd", ""},
		{"default", "Component", "a/b", ""},
		{"default", "Component", `a\b`, ""},
		{"default", "Component", "a..b", ""},
		{"default", "Component", "..", ""},
		{"default", "Component", ".", ""},
		{"default", "Component", "", ""},
		{"default", "Component", strings.Repeat("a", 64), ""},
		{"default", "Component", strings.Repeat("a", 63), "catalog/default/component/" + strings.Repeat("a", 63) + ".yaml"},
		{"..", "Component", "x", ""},
		{"default", "../x", "x", ""},
		{"default", "Component", "x\x00y", ""},
		{"default", "Component", "-x", ""},
		{"default", "Component", "x y", ""},
		{"default", "Component", "/abs", ""},
		{"default", "Component", ".git", ""},
		{"default", "Component", "git~1", ""},
		{"default", "Location", "gitmodules", "catalog/default/location/gitmodules.yaml"},
		{".git", "Component", "x", ""},
		{"default", "Component", "x‌", ""},
	}
	for _, tt := range tests {
		got, err := EntityPath(tt.ns, tt.kind, tt.name)
		if tt.want == "" {
			if err == nil {
				t.Errorf("EntityPath(%q, %q, %q) = %q, want refused", tt.ns, tt.kind, tt.name, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("EntityPath(%q, %q, %q) = %q, %v; want %q", tt.ns, tt.kind, tt.name, got, err, tt.want)
		}
	}
}

func TestCheckRepo(t *testing.T) {
	t.Parallel()
	for repo, ok := range map[string]bool{
		"acme/api": true, "a-b/c-d_e.f": true, "octocat_acme/.github": true, "acme": false, "acme/": false, "/api": false,
		"acme/api/x": false, "../api": false, "acme/..": false, "a b/c": false, "a.b/c": false,
		".git/x": false, "acme/.git": false, "acme/.GIT": false, "acme/x.git": false, "acme/.git.": false,
		"acme/.gitmodules": false, "acme/.GitModules..": false, "acme/.mailmap": false, "-acme/x": false,
		"acme-/x": false, "ac--me/x": false, "acme/git~1": false,
	} {
		if err := checkRepo(repo); (err == nil) != ok {
			t.Errorf("checkRepo(%q) = %v, want ok=%v", repo, err, ok)
		}
	}
}
