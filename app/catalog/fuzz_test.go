package catalog

import (
	"path"
	"strings"
	"testing"
)

// FuzzEntityPath checks that no namespace, kind or name yields a path
// outside catalog/ or one with more than three segments below it.
func FuzzEntityPath(f *testing.F) {
	for _, s := range []string{"api", "../x", "a/b", "a..b", ".", "x\x00", "ünï"} {
		f.Add("default", "Component", s)
	}
	f.Fuzz(func(t *testing.T, ns, kind, name string) {
		p, err := EntityPath(ns, kind, name)
		if err != nil {
			return
		}
		if path.Clean(p) != p || !strings.HasPrefix(p, Root+"/") || strings.Count(p, "/") != 3 || strings.Contains(p, "..") {
			t.Errorf("EntityPath(%q, %q, %q) = %q escapes or nests", ns, kind, name, p)
		}
	})
}

// FuzzParseOrigin checks that any remote URL names a usable source.
func FuzzParseOrigin(f *testing.F) {
	for _, s := range []string{"git@github.com:acme/shop.git", "https://github.com/a/b", "/srv/x.git", "", "/", "::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, remote string) {
		if repo, _ := parseOrigin(remote); checkRepo(repo) != nil {
			t.Errorf("parseOrigin(%q) = %q, not owner/name", remote, repo)
		}
	})
}
