package facts

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// MaxFiles bounds the files read from a directory that is no repository:
// a descriptor at the top of a home directory must not walk the disk.
// Past it the files are Unknown.
const MaxFiles = 200_000

// ignoredDirs are left out of a directory that is no repository, where
// no .gitignore says what is the project's own: version control, and
// dependencies that package managers install into the tree.
var ignoredDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, "node_modules": true, "bower_components": true,
	"vendor": true, ".venv": true, "venv": true, "__pycache__": true, ".terraform": true,
}

// Checkout reads facts from local checkouts, for the CLI: the files Git
// tracks (`git ls-files`: the index), the default branch that
// origin/HEAD names, and languages from file extensions. Branch
// protection lives on GitHub, so it is always Unknown here. It is safe
// for concurrent use.
type Checkout struct {
	cache Cache
}

// NewCheckout returns a Checkout with an empty cache.
func NewCheckout() *Checkout { return &Checkout{} }

// Facts returns the facts of the repository that holds the file at
// descriptorPath: its enclosing Git repository, or, when there is none,
// the files on disk under the descriptor's directory. The Repository is
// always usable: what could not be read is Unknown, and err says why.
func (c *Checkout) Facts(ctx context.Context, descriptorPath string) (Repository, error) {
	dir, err := filepath.Abs(filepath.Dir(descriptorPath))
	if err != nil {
		return Nothing(descriptorPath), fmt.Errorf("read facts: %w", err)
	}
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return c.cache.Get(ctx, "dir:"+dir, func(context.Context) (Repository, error) { return fromDisk(dir) })
	}
	if err != nil {
		return Nothing(dir), fmt.Errorf("open repository of %s: %w", descriptorPath, err)
	}
	root := dir
	if wt, err := repo.Worktree(); err == nil {
		root = wt.Filesystem.Root()
	}
	commit := ""
	if head, err := repo.Head(); err == nil {
		commit = head.Hash().String()
	}
	return c.cache.Get(ctx, "git:"+root+"@"+commit, func(context.Context) (Repository, error) {
		return fromGit(repo, root, commit)
	})
}

// fromGit reads the facts of an opened repository.
func fromGit(repo *git.Repository, root, commit string) (Repository, error) {
	r := Repository{Name: root, Commit: commit, Unknown: []Fact{Protected}}
	idx, err := repo.Storer.Index()
	if err != nil {
		r.Unknown = append(r.Unknown, Files, Languages, DefaultBranch)
		return r, fmt.Errorf("read index of %s: %w", root, err)
	}
	for _, e := range idx.Entries {
		r.Files = append(r.Files, e.Name)
	}
	slices.Sort(r.Files)
	r.Languages = languagesOf(r.Files)
	if b, ok := originHead(repo); ok {
		r.DefaultBranch = b
	} else {
		r.Unknown = append(r.Unknown, DefaultBranch)
	}
	return r, nil
}

// originHead is the branch origin/HEAD points at: the remote's default
// branch as of the clone. A repository with no remote has no default
// branch that portico could know.
func originHead(repo *git.Repository) (string, bool) {
	ref, err := repo.Storer.Reference(plumbing.NewRemoteHEADReferenceName("origin"))
	if err != nil || ref.Type() != plumbing.SymbolicReference {
		return "", false
	}
	return strings.TrimPrefix(ref.Target().String(), "refs/remotes/origin/"), true
}

// fromDisk reads the files under dir, for a descriptor in no repository.
func fromDisk(dir string) (Repository, error) {
	r := Repository{Name: dir, Unknown: []Fact{DefaultBranch, Protected}}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && ignoredDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if len(r.Files) == MaxFiles {
			return fmt.Errorf("more than %d files", MaxFiles)
		}
		rel, _ := filepath.Rel(dir, p)
		r.Files = append(r.Files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		r.Files = nil
		r.Unknown = append(r.Unknown, Files, Languages)
		return r, fmt.Errorf("list files of %s: %w", dir, err)
	}
	slices.Sort(r.Files)
	r.Languages = languagesOf(r.Files)
	return r, nil
}

// extensions maps file extensions to the language names GitHub shows.
var extensions = map[string]string{
	".go": "Go", ".py": "Python", ".js": "JavaScript", ".mjs": "JavaScript", ".jsx": "JavaScript",
	".ts": "TypeScript", ".tsx": "TypeScript", ".java": "Java", ".kt": "Kotlin", ".rb": "Ruby",
	".rs": "Rust", ".cs": "C#", ".c": "C", ".h": "C", ".cc": "C++", ".cpp": "C++", ".hpp": "C++",
	".swift": "Swift", ".php": "PHP", ".scala": "Scala", ".sh": "Shell", ".tf": "HCL",
	".rego": "Open Policy Agent", ".sql": "SQL", ".html": "HTML", ".css": "CSS", ".scss": "SCSS",
}

// languagesOf names the languages of files by extension, most files
// first: a rough stand-in, offline, for GitHub's byte counts.
func languagesOf(files []string) []string {
	count := map[string]int{}
	for _, f := range files {
		if lang, ok := extensions[strings.ToLower(path.Ext(f))]; ok {
			count[lang]++
		}
	}
	return slices.SortedFunc(maps.Keys(count), func(a, b string) int {
		return cmp.Or(cmp.Compare(count[b], count[a]), cmp.Compare(a, b))
	})
}
