package merge

import (
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// hunksOf writes an edit script as "start,count start,count" lines.
func hunksOf(s []change) string {
	var b strings.Builder
	for _, c := range s {
		fmt.Fprintf(&b, "%d,%d %d,%d\n", c.i1, c.chg1, c.i2, c.chg2)
	}
	return b.String()
}

// gitHunks runs git diff -U0 on a and b and writes its hunks as hunksOf
// does, with zero-based starts.
func gitHunks(t *testing.T, a, b []byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string][]byte{"a": a, "b": b} {
		if err := os.WriteFile(dir+"/"+name, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("git", "diff", "--no-index", "--diff-algorithm=myers", "--no-indent-heuristic", "-U0", "a", "b")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+dir)
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && (!errors.As(err, &exit) || exit.ExitCode() != 1) {
		t.Fatalf("git diff: %v", err)
	}
	var sb strings.Builder
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "@@") {
			var s1, c1, s2, c2 int
			f := strings.Fields(l)
			parse := func(x string, s, c *int) {
				x = x[1:]
				*c = 1
				if i := strings.Index(x, ","); i >= 0 {
					fmt.Sscan(x[:i], s)
					fmt.Sscan(x[i+1:], c)
				} else {
					fmt.Sscan(x, s)
				}
				if *c > 0 {
					*s--
				}
			}
			parse(f[1], &s1, &c1)
			parse(f[2], &s2, &c2)
			fmt.Fprintf(&sb, "%d,%d %d,%d\n", s1, c1, s2, c2)
		}
	}
	return sb.String()
}

// TestDiffAgainstGitDiff checks the two-way diff under the merge on its
// own: its hunks are those of `git diff --diff-algorithm=myers
// --no-indent-heuristic`, which runs the same xdiff steps.
func TestDiffAgainstGitDiff(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(99))
	vocab := []string{"a", "b", "c", "d", "e", "f", "g", "h", "}", "{", ""}
	for i := 0; i < 12; i++ {
		n1, n2 := 1+r.Intn(3000), 1+r.Intn(3000)
		a := randomText(r, vocab, n1, "\n", true)
		b := randomText(r, vocab, n2, "\n", true)
		_, s := diff(splitLines(a), splitLines(b))
		got, want := hunksOf(s), gitHunks(t, a, b)
		if got != want {
			t.Fatalf("case %d (%d and %d lines): hunks differ from git diff\ngot\n%s\nwant\n%s", i, n1, n2, got, want)
		}
	}
}
