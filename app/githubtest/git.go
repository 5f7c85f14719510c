package githubtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// zeroSHA is how Git and GitHub name "no commit" in ref updates.
const zeroSHA = "0000000000000000000000000000000000000000"

// emptyTree is the SHA-1 of the tree with no entries.
const emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

// gitEnv keeps the user's and the system's Git configuration out of the
// fake's repositories.
var gitEnv = []string{"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull, "GIT_TERMINAL_PROMPT=0", "LC_ALL=C"}

var gitExecPath = sync.OnceValues(func() (string, error) {
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		return "", fmt.Errorf("git is needed on PATH: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
})

func checkGit() error {
	_, err := gitExecPath()
	return err
}

// git runs a git command in a bare repository and returns its output.
func git(ctx context.Context, dir string, stdin io.Reader, args ...string) ([]byte, error) {
	return gitWithEnv(ctx, dir, nil, stdin, args...)
}

// gitWithEnv is git with extra environment variables (a scratch index,
// a commit's author).
func gitWithEnv(ctx context.Context, dir string, env []string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), gitEnv...), env...)
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("git %s: %w: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

func initBare(ctx context.Context, dir, branch string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create repository: %w", err)
	}
	_, err := git(ctx, dir, nil, "init", "--bare", "--quiet", "--initial-branch="+branch)
	return err
}

// resolve finds the commit a ref (branch, tag, full or short SHA) names;
// "" when there is none.
func resolve(ctx context.Context, dir, ref string) string {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return ""
	}
	out, err := git(ctx, dir, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// isEmpty reports whether a repository has no branch at all, which
// GitHub answers with 409 where a commit is asked for.
func isEmpty(ctx context.Context, dir string) bool {
	bs, err := branches(ctx, dir)
	return err == nil && len(bs) == 0
}

// resolveTree finds the tree a tree-ish (a tree SHA, or anything that
// names a commit) names; "" when there is none.
func resolveTree(ctx context.Context, dir, treeish string) string {
	if treeish == "" || strings.HasPrefix(treeish, "-") {
		return ""
	}
	out, err := git(ctx, dir, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", treeish+"^{tree}")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// branches maps each branch name to its commit.
func branches(ctx context.Context, dir string) (map[string]string, error) {
	out, err := git(ctx, dir, nil, "for-each-ref", "--format=%(refname:strip=2) %(objectname)", "refs/heads/")
	if err != nil {
		return nil, err
	}
	refs := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if name, sha, ok := strings.Cut(line, " "); ok {
			refs[name] = sha
		}
	}
	return refs, nil
}

// Files are the changes of a commit: path to new content, nil to delete.
type Files map[string]*string

// Text is a file's content, for Files literals.
func Text(s string) *string { return &s }

// commitFiles writes files onto branch as one commit with git fast-import.
// A branch that does not exist yet starts from the default branch (or
// from nothing in an empty repository). It returns the branch's commit
// before (zeroSHA for a new branch) and after.
func commitFiles(ctx context.Context, r *repo, branch string, files Files, message string, author *account, when time.Time) (before, after string, err error) {
	if err := checkPaths(files); err != nil {
		return "", "", err
	}
	parent := resolve(ctx, r.dir, "refs/heads/"+branch)
	before = parent
	if before == "" {
		before = zeroSHA
		parent = resolve(ctx, r.dir, "refs/heads/"+r.defaultBranch)
	}
	var in bytes.Buffer
	fmt.Fprintf(&in, "commit refs/heads/%s\ncommitter %s <%s> %d +0000\n", branch, author.login, email(author), when.Unix())
	writeData(&in, message)
	if parent != "" {
		fmt.Fprintf(&in, "from %s\n", parent)
	}
	for _, p := range sortedPaths(files) {
		if files[p] == nil {
			fmt.Fprintf(&in, "D %s\n", quotePath(p))
			continue
		}
		fmt.Fprintf(&in, "M 100644 inline %s\n", quotePath(p))
		writeData(&in, *files[p])
	}
	if _, err := git(ctx, r.dir, &in, "fast-import", "--quiet"); err != nil {
		return "", "", fmt.Errorf("commit: %w", err)
	}
	after = resolve(ctx, r.dir, "refs/heads/"+branch)
	return before, after, nil
}

func email(a *account) string { return fmt.Sprintf("%d+%s@users.noreply.github.com", a.id, a.login) }

func writeData(w *bytes.Buffer, s string) {
	fmt.Fprintf(w, "data %d\n%s\n", len(s), s)
}

func sortedPaths(files Files) []string {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

func checkPaths(files Files) error {
	for p := range files {
		if p == "" || path.Clean(p) != p || strings.HasPrefix(p, "/") || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "\x00") {
			return fmt.Errorf("commit: bad path %q (relative, clean, no ..)", p)
		}
	}
	return nil
}

// quotePath quotes a path for fast-import when it must be.
func quotePath(p string) string {
	if !strings.ContainsAny(p, "\"\n\\") {
		return p
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(p) + `"`
}

// treeEntry is one line of git ls-tree -l.
type treeEntry struct {
	mode, kind, sha string
	size            int64
	path            string
}

func lsTree(ctx context.Context, dir, treeish string, recursive bool) ([]treeEntry, error) {
	args := []string{"ls-tree", "-l", "-z", "--full-tree"}
	if recursive {
		args = append(args, "-r", "-t")
	}
	out, err := git(ctx, dir, nil, append(args, "--end-of-options", treeish)...)
	if err != nil {
		return nil, err
	}
	return parseTree(string(out)), nil
}

func parseTree(out string) []treeEntry {
	var entries []treeEntry
	for _, rec := range strings.Split(strings.TrimSuffix(out, "\x00"), "\x00") {
		meta, p, ok := strings.Cut(rec, "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 4 {
			continue
		}
		size, _ := strconv.ParseInt(f[3], 10, 64)
		entries = append(entries, treeEntry{mode: f[0], kind: f[1], sha: f[2], size: size, path: p})
	}
	return entries
}

// lsPath finds the tree entry at a path of a commit.
func lsPath(ctx context.Context, dir, commit, p string) (treeEntry, bool) {
	out, err := git(ctx, dir, nil, "ls-tree", "-l", "-z", "--full-tree", "--end-of-options", commit, "--", p)
	if err != nil {
		return treeEntry{}, false
	}
	for _, e := range parseTree(string(out)) {
		if e.path == p {
			return e, true
		}
	}
	return treeEntry{}, false
}

// objectType is "blob", "tree", "commit" or "" for no such object.
func objectType(ctx context.Context, dir, sha string) string {
	if !isHex(sha) {
		return ""
	}
	out, err := git(ctx, dir, nil, "cat-file", "-t", sha)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func readBlob(ctx context.Context, dir, sha string) ([]byte, error) {
	return git(ctx, dir, nil, "cat-file", "blob", sha)
}

func isHex(s string) bool {
	if len(s) < 4 || len(s) > 40 {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

// commitMeta is what git records about a commit.
type commitMeta struct {
	sha, tree      string
	parents        []string
	authorName     string
	authorEmail    string
	authorDate     time.Time
	committerName  string
	committerEmail string
	committerDate  time.Time
	message        string
}

func readCommit(ctx context.Context, dir, sha string) (commitMeta, error) {
	out, err := git(ctx, dir, nil, "show", "-s", "--format=%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B", sha, "--")
	if err != nil {
		return commitMeta{}, err
	}
	f := strings.SplitN(string(out), "\x00", 10)
	if len(f) != 10 {
		return commitMeta{}, errors.New("read commit: unexpected git output")
	}
	m := commitMeta{sha: f[0], tree: f[1], parents: strings.Fields(f[2]),
		authorName: f[3], authorEmail: f[4], committerName: f[6], committerEmail: f[7],
		message: strings.TrimRight(f[9], "\n")}
	m.authorDate, _ = time.Parse(time.RFC3339, f[5])
	m.committerDate, _ = time.Parse(time.RFC3339, f[8])
	return m, nil
}

// fileChange is one file of a diff, as GitHub lists them.
type fileChange struct {
	status               string // added, removed, modified, renamed
	path, previous       string
	sha                  string // the blob after (before, for removed)
	additions, deletions int
}

// diff lists the files that differ between two commits ("" for from means
// the empty tree), renames detected.
func diff(ctx context.Context, dir, from, to string) ([]fileChange, error) {
	if from == "" {
		from = emptyTree
	}
	raw, err := git(ctx, dir, nil, "diff-tree", "-r", "-z", "-M", "--no-abbrev", from, to)
	if err != nil {
		return nil, err
	}
	nums, err := git(ctx, dir, nil, "diff-tree", "-r", "-z", "-M", "--numstat", from, to)
	if err != nil {
		return nil, err
	}
	changes := parseRaw(string(raw))
	addNumstat(changes, string(nums))
	return changes, nil
}

func parseRaw(out string) []fileChange {
	var changes []fileChange
	f := strings.Split(out, "\x00")
	for i := 0; i+1 < len(f); {
		meta := strings.Fields(strings.TrimPrefix(f[i], ":"))
		if len(meta) != 5 {
			i++
			continue
		}
		c := fileChange{sha: meta[3], path: f[i+1]}
		i += 2
		switch meta[4][0] {
		case 'A':
			c.status = "added"
		case 'D':
			c.status, c.sha = "removed", meta[2]
		case 'R':
			c.status, c.previous, c.path = "renamed", c.path, f[i]
			i++
		default:
			c.status = "modified"
		}
		changes = append(changes, c)
	}
	return changes
}

// addNumstat sets line counts; numstat lists files in the order of the
// raw output.
func addNumstat(changes []fileChange, out string) {
	f := strings.Split(out, "\x00")
	k := 0
	for i := 0; i < len(f) && k < len(changes); i++ {
		parts := strings.SplitN(f[i], "\t", 3)
		if len(parts) != 3 {
			continue
		}
		changes[k].additions, _ = strconv.Atoi(parts[0])
		changes[k].deletions, _ = strconv.Atoi(parts[1])
		if parts[2] == "" { // a rename: the two paths follow
			i += 2
		}
		k++
	}
}

// commitsBetween lists the commits reachable from to and not from
// from (nor, for a new branch, from any other branch), oldest first.
func commitsBetween(ctx context.Context, dir, from, to string, others []string) ([]string, error) {
	args := []string{"rev-list", "--reverse", to}
	if from != "" && from != zeroSHA {
		args = append(args, "^"+from)
	} else {
		for _, o := range others {
			args = append(args, "^"+o)
		}
	}
	out, err := git(ctx, dir, nil, append(args, "--")...)
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(out)), nil
}

func mergeBase(ctx context.Context, dir, a, b string) string {
	out, err := git(ctx, dir, nil, "merge-base", a, b)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func isAncestor(ctx context.Context, dir, a, b string) bool {
	_, err := git(ctx, dir, nil, "merge-base", "--is-ancestor", a, b)
	return err == nil
}
