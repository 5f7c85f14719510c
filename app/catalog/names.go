package catalog

import (
	"fmt"
	"regexp"
	"strings"
)

// Every name that becomes part of a path in the central repository is
// checked twice: against the rules of what it names (GitHub's, for a
// source's owner and name; Backstage's, for an entity), and against what
// `git fsck` refuses in a tree. A tree entry that fsck refuses (.git in any
// case, its NTFS and HFS spellings, .gitmodules, ...) makes git clone
// refuse the checkout and a remote with receive.fsckObjects refuse the
// push, so a catalog on GitHub would be blocked for good.

// maxOwner is GitHub's limit on the length of an account name.
const maxOwner = 39

// ownerRE is GitHub's rule for account names: letters, digits and single
// hyphens, neither first nor last. Enterprise Managed Users' handles end
// in _shortcode, so one underscore suffix is allowed too.
var ownerRE = regexp.MustCompile(`^[A-Za-z0-9](?:-?[A-Za-z0-9])*(?:_[A-Za-z0-9]+)?$`)

// repoNameRE is GitHub's rule for repository names, length included.
var repoNameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}$`)

// CheckRepoName reports whether owner/name is a repository name GitHub
// accepts and one whose paths in the central repository git accepts.
func CheckRepoName(owner, name string) error {
	if len(owner) > maxOwner || !ownerRE.MatchString(owner) {
		return fmt.Errorf("owner %q is not a GitHub account name (1-%d letters, digits and single hyphens, neither first nor last)", clip(owner), maxOwner)
	}
	if !repoNameRE.MatchString(name) || name == "." || name == ".." {
		return fmt.Errorf("repository name %q is not a GitHub repository name (1-100 letters, digits, '-', '_' and '.', not . or ..)", clip(name))
	}
	if strings.HasSuffix(strings.ToLower(name), ".git") {
		return fmt.Errorf("repository name %q ends in .git, which GitHub refuses", clip(name))
	}
	return checkTreeName(name)
}

// clip shortens a name for an error message.
func clip(s string) string {
	const n = 60
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// checkTreePath refuses a slash-separated path with a component that git
// fsck would refuse.
func checkTreePath(p string) error {
	for _, c := range strings.Split(p, "/") {
		if err := checkTreeName(c); err != nil {
			return fmt.Errorf("path %q: %w", clip(p), err)
		}
	}
	return nil
}

// gitSpecial are the names git reads inside a tree, as fsck knows them,
// with the 8.3 short names NTFS may give them (git's path.c).
var gitSpecial = []struct{ name, short, hashed string }{
	{".git", "git~1", ""},
	{".gitmodules", "gitmod~", "gi7eba~"},
	{".gitattributes", "gitatt~", "gi7d29~"},
	{".gitignore", "gitign~", "gi250a~"},
	{".mailmap", "mailma~", "maba30~"},
}

// checkTreeName refuses what git fsck refuses as one tree entry's name:
// empty, ".", "..", a separator or NUL, and any spelling of a name git
// reads (.git and the like) that a case-insensitive, HFS+ or NTFS file
// system would take for it. It errs on the side of refusing.
func checkTreeName(c string) error {
	switch {
	case c == "" || c == "." || c == "..":
		return fmt.Errorf("path component %q is empty, . or ..", c)
	case strings.ContainsAny(c, "/\\\x00"):
		return fmt.Errorf("path component %q holds a separator or NUL", clip(c))
	}
	for _, sp := range gitSpecial {
		if isHFSName(c, sp.name) || isNTFSName(c, sp.name, sp.short, sp.hashed) {
			return fmt.Errorf("path component %q reads as %s, which git refuses in a tree", clip(c), sp.name)
		}
	}
	return nil
}

// isHFSName: HFS+ ignores some zero-width code points and case, so
// ".g\u200cit" is ".git" there.
func isHFSName(c, name string) bool {
	stripped := strings.Map(func(r rune) rune {
		if r >= 0x200c && r <= 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x206a && r <= 0x206f || r == 0xfeff {
			return -1
		}
		return r
	}, c)
	return strings.EqualFold(stripped, name)
}

// isNTFSName: NTFS drops trailing spaces and dots, reads "name:stream"
// as name, ignores case and has 8.3 short names (git~1, gitmod~1 ...).
func isNTFSName(c, name, short, hashed string) bool {
	base, _, _ := strings.Cut(strings.ToLower(c), ":")
	base = strings.TrimRight(base, " .")
	if base == name {
		return true
	}
	if name == ".git" {
		return base == short
	}
	for _, prefix := range []string{short, hashed} {
		if rest, ok := strings.CutPrefix(base, prefix); ok && len(rest) == 1 && rest[0] >= '1' && rest[0] <= '9' {
			return true
		}
	}
	return false
}
