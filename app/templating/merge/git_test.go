package merge

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// testLabels are the labels every comparison with Git uses.
var testLabels = Labels{Ours: "ours (repository)", Base: "base (template 1.0.0)", Theirs: "theirs (template 2.0.0)"}

// gitMergeFile runs the real `git merge-file -p` on the three texts and
// returns its output and its conflict count (its exit status), or
// refused when Git will not merge them (binary input).
func gitMergeFile(t testing.TB, base, ours, theirs []byte, l Labels) (out []byte, conflicts int, refused bool) {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string][]byte{"ours": ours, "base": base, "theirs": theirs} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("git", "merge-file", "-p",
		"-L", l.Ours, "-L", l.Base, "-L", l.Theirs, "ours", "base", "theirs")
	cmd.Dir = dir
	// No user or system configuration: merge.conflictStyle would change
	// the output.
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return stdout.Bytes(), 0, false
	case errors.As(err, &exit) && exit.ExitCode() > 0 && exit.ExitCode() < 128:
		return stdout.Bytes(), exit.ExitCode(), false
	case errors.As(err, &exit) && bytes.Contains(stderr.Bytes(), []byte("Cannot merge binary files")):
		return nil, 0, true
	default:
		t.Fatalf("git merge-file: %v: %s", err, stderr.Bytes())
		return nil, 0, false
	}
}

// checkAgainstGit asserts that Text gives what Git gives, byte for byte,
// with the same number of conflicts.
func checkAgainstGit(t *testing.T, base, ours, theirs []byte) {
	t.Helper()
	want, wantN, refused := gitMergeFile(t, base, ours, theirs, testLabels)
	if refused {
		t.Fatalf("git refused to merge:\nbase   %q\nours   %q\ntheirs %q", base, ours, theirs)
	}
	got, gotN := Text(base, ours, theirs, testLabels)
	// git merge-file caps its exit status, the conflict count, at 127.
	if !bytes.Equal(got, want) || min(gotN, 127) != wantN {
		t.Fatalf("Text differs from git merge-file\nbase   %q\nours   %q\ntheirs %q\ngit  (%d) %q\nText (%d) %q",
			base, ours, theirs, wantN, want, gotN, got)
	}
}
