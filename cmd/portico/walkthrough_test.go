package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// walkThroughHeading starts the README section whose commands the test runs.
const walkThroughHeading = "### Try the App against the fake GitHub"

// walkThrough is the README's walk-through as its code blocks give it:
// the fake GitHub, portico, then the commands a newcomer types.
type walkThrough struct {
	fake, serve string
	commands    []string
}

// TestWalkThroughTwice runs the README's walk-through, read from
// README.md so that the test breaks when the README drifts, twice in a
// row in the same directory, as a newcomer who comes back the next day
// would: both times portico must start as the App (no setup page) and
// check the pull request. Only the two addresses change, to free ports
// (the same both times), and `go run ./cmd/portico` is the built binary.
func TestWalkThroughTwice(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	must(t, err)
	w := parseWalkThrough(t, string(readme))
	r := strings.NewReplacer("go run ./cmd/portico", binary,
		"127.0.0.1:3000", freeAddr(t), "127.0.0.1:8080", freeAddr(t))
	dir := t.TempDir()
	for run := 1; run <= 2; run++ {
		t.Run(fmt.Sprintf("run %d", run), func(t *testing.T) { w.run(t, r, dir, run) })
	}
}

// parseWalkThrough collects the lines of the section's sh blocks.
func parseWalkThrough(t *testing.T, readme string) walkThrough {
	t.Helper()
	_, section, ok := strings.Cut(readme, walkThroughHeading+"\n")
	if !ok {
		t.Fatalf("README.md has no %q section", walkThroughHeading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var lines []string
	for i, block := range strings.Split(section, "```") {
		body, isSh := strings.CutPrefix(block, "sh\n")
		if i%2 == 1 && isSh {
			lines = append(lines, strings.Split(strings.TrimSpace(body), "\n")...)
		}
	}
	if len(lines) < 3 || !strings.Contains(lines[0], " dev github ") || !strings.HasSuffix(lines[1], " serve") {
		t.Fatalf("the walk-through should start the fake GitHub, then portico serve; it has %q", lines)
	}
	return walkThrough{fake: lines[0], serve: lines[1], commands: lines[2:]}
}

func (w walkThrough) run(t *testing.T, r *strings.Replacer, dir string, run int) {
	fakeOut := startShell(t, dir, r.Replace(w.fake), nil)
	waitFor(t, fakeOut, "fake GitHub on")
	// The README leaves portico on its default :8080.
	listen := strings.TrimPrefix(r.Replace("http://127.0.0.1:8080"), "http://")
	logs := startShell(t, dir, r.Replace(w.serve), []string{"PORTICO_LISTEN=" + listen})
	waitFor(t, logs, `"msg":"portico serving"`)
	if !strings.Contains(logs.String(), `"app_configured":true`) || strings.Contains(logs.String(), "setup page") {
		t.Fatalf("portico did not start as the App the fake created:\n%s", logs)
	}
	catalog := catalogAfter
	for _, c := range w.commands {
		cmd := r.Replace(c)
		switch {
		case strings.Contains(c, "/check-runs"):
			pollShell(t, dir, cmd, failedCheck, logs)
		case strings.Contains(c, "catalog.git log"):
			if len(catalog) == 0 {
				t.Fatalf("the walk-through reads the catalog more often than the test expects: %s", c)
			}
			want := catalog[0]
			pollShell(t, dir, cmd, func(out string) bool { return strings.Contains(out, want) }, logs)
			catalog = catalog[1:]
		default:
			if out, err := shell(dir, cmd); err != nil {
				t.Fatalf("%s: %v\n%s\nportico:\n%s\nfake:\n%s", c, err, out, logs, fakeOut)
			}
		}
	}
	if len(catalog) > 0 {
		t.Errorf("the walk-through no longer shows the catalog's commits %q", catalog)
	}
}

// catalogAfter is what the catalog's last commit says after each of the
// walk-through's steps that change it: the push, the rename, the removal.
var catalogAfter = []string{"sync acme/web@", "(renamed from acme/web)", "remove acme/storefront"}

// failedCheck reports whether the admin API's list of check runs holds
// portico's, failed, with annotations.
func failedCheck(out string) bool {
	var runs []struct {
		Name, Conclusion string
		Annotations      []json.RawMessage
	}
	if json.Unmarshal([]byte(out), &runs) != nil {
		return false
	}
	for _, cr := range runs {
		if cr.Name == "portico / catalog" && cr.Conclusion == "failure" && len(cr.Annotations) > 0 {
			return true
		}
	}
	return false
}

// startShell runs a README line as a newcomer's terminal would, until
// the test ends.
func startShell(t *testing.T, dir, line string, env []string) *lockedBuffer {
	t.Helper()
	out := &lockedBuffer{}
	cmd := exec.Command("sh", "-c", line)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = out, out
	// Its own process group, so that the shell and portico stop together,
	// as they would at Ctrl-C.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	must(t, cmd.Start())
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM); cmd.Wait() })
	return out
}

func shell(dir, line string) (string, error) {
	cmd := exec.Command("sh", "-c", line)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// pollShell runs a command until its output satisfies ok: the App works
// in the background.
func pollShell(t *testing.T, dir, line string, ok func(string) bool, logs *lockedBuffer) {
	t.Helper()
	var out string
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var err error
		if out, err = shell(dir, line); err == nil && ok(out) {
			return
		}
	}
	t.Fatalf("%s never gave what the walk-through promises; last output:\n%s\nportico:\n%s", line, out, logs)
}

func waitFor(t *testing.T, out *lockedBuffer, want string) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(out.String(), want) {
			return
		}
	}
	t.Fatalf("no %q in:\n%s", want, out)
}
