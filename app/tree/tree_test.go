package tree

import "testing"

func TestCleanPath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"a/b.txt", "a/b.txt", true},
		{"README.md", "README.md", true},
		{"", "", false},
		{"/etc/passwd", "", false},
		{"../x", "", false},
		{"a/../../x", "", false},
		{"a/./b", "", false},
		{"a//b", "", false},
		{".git/config", "", false},
		{"sub/.GIT/hooks/x", "", false},
		{"a\\b", "", false},
		{"a\x00b", "", false},
	} {
		got, err := CleanPath(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("CleanPath(%q) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestModes(t *testing.T) {
	t.Parallel()
	for _, m := range []Mode{Regular, Executable, Symlink} {
		got, ok := ParseGitMode(m.GitMode())
		if !ok || got != m {
			t.Errorf("ParseGitMode(%q) = %v, %v; want %v", m.GitMode(), got, ok, m)
		}
	}
	for _, s := range []string{"040000", "160000", ""} {
		if _, ok := ParseGitMode(s); ok {
			t.Errorf("ParseGitMode(%q) accepted a non-file", s)
		}
	}
}

func TestTreeEqualAndPaths(t *testing.T) {
	t.Parallel()
	a := Tree{"b": {Data: []byte("1")}, "a": {Data: []byte("2"), Mode: Executable}}
	b := Tree{"a": {Data: []byte("2"), Mode: Executable}, "b": {Data: []byte("1")}}
	if !a.Equal(b) {
		t.Error("equal trees compare unequal")
	}
	b["a"] = File{Data: []byte("2")}
	if a.Equal(b) {
		t.Error("a mode change went unseen")
	}
	if p := a.Paths(); len(p) != 2 || p[0] != "a" || p[1] != "b" {
		t.Errorf("Paths = %v", p)
	}
}
