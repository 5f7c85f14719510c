package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/portico-dev/portico/app/descriptor"
)

// ReadCheckout reads a local git checkout as a source: its origin remote
// names it (a local checkout without one is local/<directory>), its HEAD
// commit is the commit, and its descriptor files are the committed files
// at HEAD for which match is true; the working tree is not read.
func ReadCheckout(ctx context.Context, dir string, match func(path string) bool, maxBytes int64) (Source, error) {
	if maxBytes <= 0 {
		maxBytes = descriptor.DefaultMaxBytes
	}
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return Source{}, fmt.Errorf("open source %s: %w", dir, err)
	}
	src, err := sourceName(repo, dir)
	if err != nil {
		return Source{}, err
	}
	head, err := repo.Head()
	if err != nil {
		return Source{}, fmt.Errorf("read HEAD of %s: %w", dir, err)
	}
	src.Commit = head.Hash().String()
	c, err := repo.CommitObject(head.Hash())
	if err != nil {
		return Source{}, fmt.Errorf("read HEAD of %s: %w", dir, err)
	}
	src.Entities, err = readDescriptors(ctx, c, match, maxBytes)
	return src, err
}

func sourceName(repo *git.Repository, dir string) (Source, error) {
	remote, err := repo.Remote("origin")
	if err == nil && len(remote.Config().URLs) > 0 {
		name, web, err := parseOrigin(remote.Config().URLs[0])
		if err != nil {
			return Source{}, fmt.Errorf("source %s: %w", dir, err)
		}
		return Source{Repo: name, URL: web}, nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Source{}, fmt.Errorf("source %s: %w", dir, err)
	}
	return Source{Repo: "local/" + localName(filepath.Base(abs)), URL: filepath.ToSlash(abs)}, nil
}

var scpLike = regexp.MustCompile(`^[A-Za-z0-9_.-]+@([A-Za-z0-9_.-]+):(.*)$`)

// parseOrigin turns a remote URL into owner/name and a web URL: https for
// hosted repositories (https, ssh and scp-like git@host:owner/name
// remotes), the path itself for a repository on this machine. A hosted
// repository's owner and name must be GitHub's (they become paths of the
// central repository); a local one's are made from its directories.
func parseOrigin(remote string) (repo, web string, err error) {
	host, p := "", remote
	if m := scpLike.FindStringSubmatch(remote); m != nil {
		host, p = m[1], m[2]
	} else if u, err := url.Parse(remote); err == nil && u.Host != "" {
		host, p = u.Hostname(), u.Path
	} else {
		p = strings.TrimPrefix(remote, "file://")
	}
	p = strings.TrimSuffix(strings.Trim(p, "/"), ".git")
	parts := strings.Split(p, "/")
	owner, name := "", parts[len(parts)-1]
	if len(parts) > 1 {
		owner = parts[len(parts)-2]
	}
	if host == "" {
		return localOwner(owner) + "/" + localName(name), remote, nil
	}
	if err := CheckRepoName(owner, name); err != nil {
		return "", "", fmt.Errorf("origin %s does not name a repository: %w", redact(remote), err)
	}
	return owner + "/" + name, "https://" + host + "/" + p, nil
}

// redact drops the credentials of a URL, for messages.
func redact(remote string) string {
	if u, err := url.Parse(remote); err == nil && u.User != nil {
		u.User = nil
		return u.String()
	}
	return remote
}

var (
	notOwnerChars = regexp.MustCompile(`[^A-Za-z0-9]+`)
	notNameChars  = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)
)

// localOwner makes a directory's name into an account name: "local" when
// nothing usable is left.
func localOwner(s string) string {
	s = strings.Trim(notOwnerChars.ReplaceAllString(s, "-"), "-")
	if len(s) > maxOwner {
		s = strings.TrimRight(s[:maxOwner], "-")
	}
	if s == "" {
		return "local"
	}
	return s
}

// localName makes a directory's name into a repository name: "unnamed"
// when nothing usable is left.
func localName(s string) string {
	s = notNameChars.ReplaceAllString(s, "-")
	for strings.HasSuffix(strings.ToLower(s), ".git") {
		s = s[:len(s)-len(".git")]
	}
	if len(s) > maxRepoName {
		s = s[:maxRepoName]
	}
	if CheckRepoName("local", s) != nil {
		return "unnamed"
	}
	return s
}

// maxRepoName is GitHub's limit on the length of a repository name.
const maxRepoName = 100

// readDescriptors parses the descriptor files of a commit's tree, their
// placeholders resolved from the same tree: the commit is what is
// recorded, not the working tree.
func readDescriptors(ctx context.Context, c *object.Commit, match func(string) bool, maxBytes int64) ([]Entity, error) {
	tree, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("read tree of %s: %w", c.Hash, err)
	}
	var out []Entity
	err = tree.Files().ForEach(func(f *object.File) error {
		if !match(f.Name) || (f.Mode != filemode.Regular && f.Mode != filemode.Executable) {
			return nil
		}
		if f.Size > maxBytes {
			out = append(out, tooLarge(f.Name, f.Size, maxBytes))
			return nil
		}
		data, err := readFile(f)
		if err != nil {
			return err
		}
		ents, err := ParseFileIn(ctx, f.Name, data, maxBytes, treeFiles{tree})
		out = append(out, ents...)
		return err
	})
	return out, err
}

// treeFiles reads placeholders' files from a commit's tree.
type treeFiles struct{ tree *object.Tree }

// ReadFile reads name from the tree. A symbolic link or a submodule is
// no file a placeholder may read (a link could lead out of the
// repository); a directory is not found, as go-git finds no file there.
func (t treeFiles) ReadFile(ctx context.Context, name string, limit int64) ([]byte, int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	f, err := t.tree.File(name)
	if errors.Is(err, object.ErrFileNotFound) || errors.Is(err, object.ErrDirectoryNotFound) || errors.Is(err, object.ErrEntryNotFound) {
		return nil, 0, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w: %w", name, fs.ErrInvalid, err)
	}
	if f.Mode != filemode.Regular && f.Mode != filemode.Executable {
		return nil, 0, fmt.Errorf("%s: %w: not a regular file", name, fs.ErrInvalid)
	}
	if f.Size > limit {
		return nil, f.Size, nil
	}
	data, err := readFile(f)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %w", fs.ErrInvalid, err)
	}
	return data, f.Size, nil
}

func readFile(f *object.File) ([]byte, error) {
	r, err := f.Reader()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Name, err)
	}
	defer r.Close()
	return io.ReadAll(r)
}

// tooLarge is a file refused before it is read.
func tooLarge(path string, size, limit int64) Entity {
	msg := fmt.Sprintf("file is %d bytes, more than the limit of %d", size, limit)
	d := &descriptor.Document{Findings: []descriptor.Finding{{Severity: descriptor.SeverityError, Rule: descriptor.RuleSize, Message: msg, Line: 1, Column: 1}}}
	return Entity{Path: path, Document: d}
}

// Uncommitted lists the descriptor files (those match accepts) of the
// checkout at dir whose working tree differs from HEAD: changed, added,
// deleted or untracked, sorted. ReadCheckout reads the commit, so these
// changes are not what a sync records.
func Uncommitted(dir string, match func(path string) bool) ([]string, error) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return nil, fmt.Errorf("open source %s: %w", dir, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, fmt.Errorf("read working tree of %s: %w", dir, err)
	}
	st, err := wt.Status()
	if err != nil {
		return nil, fmt.Errorf("read status of %s: %w", dir, err)
	}
	var out []string
	for p, fs := range st {
		if match(p) && (fs.Worktree != git.Unmodified || fs.Staging != git.Unmodified) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out, nil
}
