package catalog

import (
	"path"
	"reflect"
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

// FuzzParseOrigin checks that any remote URL either is refused or names
// a usable source, whose paths git accepts.
func FuzzParseOrigin(f *testing.F) {
	for _, s := range []string{"git@github.com:acme/shop.git", "https://github.com/a/b", "/srv/x.git", "", "/", "::",
		"https://example.com/.git/x.git", "/srv/.gitmodules", "git@h:a/.GIT."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, remote string) {
		repo, _, err := parseOrigin(remote)
		if err != nil {
			return
		}
		if err := checkRepo(repo); err != nil {
			t.Errorf("parseOrigin(%q) = %q: %v", remote, repo, err)
		}
		for _, p := range []string{indexPath(repo), removedPath(repo)} {
			if err := checkTreePath(p); err != nil {
				t.Errorf("parseOrigin(%q) = %q: %v", remote, repo, err)
			}
		}
	})
}

// FuzzCheckTreeName checks that a name checkTreeName lets through is none
// of git's own names in any spelling a file system would read as one.
func FuzzCheckTreeName(f *testing.F) {
	for _, s := range []string{"x", ".git", ".GIT ", "git~1", ".gitmodules:$DATA", "gi7eba~3", ".g\u200cit"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, c string) {
		if checkTreeName(c) != nil {
			return
		}
		low := strings.TrimRight(strings.ToLower(c), " .")
		for _, sp := range gitSpecial {
			if low == sp.name || low == sp.short+"1" {
				t.Errorf("checkTreeName(%q) let %s through", c, sp.name)
			}
		}
	})
}

// FuzzRepositoryFiles feeds what a person could commit to a central
// repository on GitHub to the readers of its files: an entity file, a
// source index and the root Location. None may panic, and an index that
// decodes encodes back to what decodes the same.
func FuzzRepositoryFiles(f *testing.F) {
	f.Add([]byte(component("cart", "team-a")))
	f.Add([]byte("catalog/default/component/a.yaml\t\"a.yaml\"\tdeadbeef\n"))
	f.Add(renderLocation([]string{"catalog/default/component/a.yaml"}))
	f.Add([]byte("x\t\"\\xff\"\t\n\t\t\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		parseRecord("catalog/default/component/x.yaml", data)
		locationTargets(data)
		ix, err := decodeIndex(data)
		if err != nil {
			return
		}
		again, err := decodeIndex(ix.encode())
		if err != nil || !reflect.DeepEqual(again, ix) {
			t.Errorf("index %q: re-encoded decodes to %v, %v; want %v", data, again, err, ix)
		}
	})
}
