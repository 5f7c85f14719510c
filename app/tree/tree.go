// Package tree is a repository's files in memory: what a template renders,
// what a three-way merge takes and gives, and what an upgrade commits.
// Paths are slash-separated, relative, clean and never leave the root;
// nothing here touches a disk or a worktree.
package tree

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"
)

// Mode is a file's kind, as Git records it.
type Mode uint8

// The modes Git knows for a file in a tree.
const (
	Regular    Mode = iota // 100644
	Executable             // 100755
	Symlink                // 120000: Data is the link's target
)

// GitMode is the mode as Git and GitHub's Git Data API write it.
func (m Mode) GitMode() string {
	switch m {
	case Executable:
		return "100755"
	case Symlink:
		return "120000"
	default:
		return "100644"
	}
}

// ParseGitMode reads a Git tree entry's mode; ok is false for a
// directory, a submodule or anything else that is not a file.
func ParseGitMode(s string) (m Mode, ok bool) {
	switch s {
	case "100644", "100664":
		return Regular, true
	case "100755":
		return Executable, true
	case "120000":
		return Symlink, true
	}
	return Regular, false
}

func (m Mode) String() string {
	switch m {
	case Executable:
		return "executable"
	case Symlink:
		return "symlink"
	default:
		return "regular"
	}
}

// File is one file's content and mode.
type File struct {
	Data []byte
	Mode Mode
}

// Equal reports whether f and g hold the same bytes with the same mode.
func (f File) Equal(g File) bool {
	return f.Mode == g.Mode && bytes.Equal(f.Data, g.Data)
}

// Tree maps a clean relative path to its file.
type Tree map[string]File

// Paths returns t's paths in byte order, so output built from a tree is
// the same from run to run.
func (t Tree) Paths() []string {
	out := make([]string, 0, len(t))
	for p := range t {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Equal reports whether t and u hold the same paths with equal files.
func (t Tree) Equal(u Tree) bool {
	if len(t) != len(u) {
		return false
	}
	for p, f := range t {
		g, ok := u[p]
		if !ok || !f.Equal(g) {
			return false
		}
	}
	return true
}

// CleanPath checks that p names a file inside the root and returns it in
// its one clean form: relative, slash-separated, no "." or ".." element,
// no empty element, no ".git" element (Git refuses to track one).
func CleanPath(p string) (string, error) {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || strings.ContainsRune(p, 0) {
		return "", fmt.Errorf("path %q: not a relative slash-separated path", p)
	}
	c := path.Clean(p)
	if c != p && c+"/" != p {
		return "", fmt.Errorf("path %q: not clean (%q)", p, c)
	}
	for _, el := range strings.Split(c, "/") {
		if el == ".." || el == "." || strings.EqualFold(el, ".git") {
			return "", fmt.Errorf("path %q: element %q is not allowed", p, el)
		}
	}
	return c, nil
}
