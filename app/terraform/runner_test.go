package terraform

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

// newRunner returns a Runner on a fresh data directory with the real
// binary, or skips the test when there is none (.ci/test installs one).
func newRunner(t *testing.T, cfg Config) *Runner {
	t.Helper()
	if _, err := FindBinary(cfg.Binary, nil); err != nil {
		t.Skipf("no Terraform binary: %v (bash .ci/test installs Terraform 1.5.7)", err)
	}
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func module(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body), Mode: 0o644}
	}
	return fsys
}

const greetModule = `
variable "name" { type = string }
variable "size" {
  type    = string
  default = "small"
}
resource "terraform_data" "w" {
  input = "hello ${var.name} (${var.size})"
}
output "greeting" { value = terraform_data.w.output }
output "password" {
  value     = "pw-${terraform_data.w.id}"
  sensitive = true
}
output "leaky" { value = "token=abcdef0123456789abcdef" }
`

func outputString(t *testing.T, res *Result, name string) string {
	t.Helper()
	o, ok := res.Outputs[name]
	if !ok {
		t.Fatalf("no output %q in %v", name, res.Outputs)
	}
	var s string
	if err := json.Unmarshal(o.Value, &s); err != nil {
		t.Fatalf("output %q = %s: %v", name, o.Value, err)
	}
	return s
}

func TestApplyPlanOutputsDestroy(t *testing.T) {
	t.Parallel()
	r := newRunner(t, Config{})
	ctx := context.Background()
	req := Request{Workspace: "acme/payment-api/alice/default", Module: module(map[string]string{"main.tf": greetModule}),
		Vars: map[string]any{"name": `alice"; rm -rf / #`, "size": "large"}}
	res, err := r.Apply(ctx, req)
	if err != nil {
		t.Fatalf("apply: %v\n%s", err, res.Log)
	}
	if !res.Changed {
		t.Error("first apply: plan had no changes")
	}
	if got, want := outputString(t, res, "greeting"), `hello alice"; rm -rf / # (large)`; got != want {
		t.Errorf("greeting = %q, want %q: the variables did not arrive as given", got, want)
	}
	if pw := res.Outputs["password"]; !pw.Sensitive || string(pw.Value) != "null" {
		t.Errorf("sensitive output came back as %+v", pw)
	}
	if got := outputString(t, res, "leaky"); got != "token="+Redacted {
		t.Errorf("leaky output = %q, want it redacted", got)
	}
	if strings.Contains(res.Log, "abcdef0123456789abcdef") || !strings.Contains(res.Log, "Apply complete") {
		t.Errorf("log is unredacted or incomplete:\n%s", res.Log)
	}
	if b, err := os.ReadFile(res.LogFile); err != nil || string(b) != res.Log {
		t.Errorf("log file %s: %v", res.LogFile, err)
	}
	l := r.layout(req.Workspace)
	if _, err := os.Stat(l.state()); err != nil {
		t.Errorf("no state in the workspace directory: %v", err)
	}
	if _, err := os.Stat(l.record()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a finished run left its record: %v", err)
	}

	again, err := r.Apply(ctx, req)
	if err != nil || again.Changed {
		t.Errorf("second apply: changed %v, err %v: the state was not kept", again.Changed, err)
	}

	gone, err := r.Destroy(ctx, req)
	if err != nil {
		t.Fatalf("destroy: %v\n%s", err, gone.Log)
	}
	if !gone.Changed || len(gone.Outputs) != 0 {
		t.Errorf("destroy: changed %v, outputs %v", gone.Changed, gone.Outputs)
	}
	var st struct {
		Resources []any `json:"resources"`
	}
	if b, err := os.ReadFile(l.state()); err != nil || json.Unmarshal(b, &st) != nil || len(st.Resources) != 0 {
		t.Errorf("state after destroy holds %d resources (%v)", len(st.Resources), err)
	}
}

func TestBadWorkspaceID(t *testing.T) {
	t.Parallel()
	r := newRunner(t, Config{})
	for _, id := range []string{"", "a/b/c", "a/b/c/d/e", "../x/y/z", "a/../b/c", "a//b/c", ".hidden/a/b/c", "a/b/c/-x", "a b/c/d/e"} {
		if _, err := r.Apply(context.Background(), Request{Workspace: id, Module: module(nil)}); err == nil {
			t.Errorf("workspace id %q accepted", id)
		}
	}
}

// envModule writes Terraform's environment, as local-exec sees it, to the
// file the variable names.
const envModule = `
variable "out" { type = string }
resource "terraform_data" "env" {
  provisioner "local-exec" { command = "env > '${var.out}'" }
}
`

func TestMinimalEnvironment(t *testing.T) {
	t.Setenv("PORTICO_PLANTED_SECRET", "planted-portico-value")
	t.Setenv("GITHUB_TOKEN", "ghs_plantedplantedplantedplanted12")
	t.Setenv("OTHER_PLANTED", "other-planted-value")
	t.Setenv("CLOUD_REGION", "eu-west-9")
	r := newRunner(t, Config{Env: []string{"CLOUD_REGION", "NOT_SET_ANYWHERE"}})
	out := filepath.Join(t.TempDir(), "env.txt")
	res, err := r.Apply(context.Background(), Request{Workspace: "acme/api/alice/env", Module: module(map[string]string{"main.tf": envModule}), Vars: map[string]any{"out": out}})
	if err != nil {
		t.Fatalf("apply: %v\n%s", err, res.Log)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	env := string(b)
	for _, planted := range []string{"planted-portico-value", "PORTICO_", "ghs_planted", "GITHUB_TOKEN", "other-planted-value", "NOT_SET_ANYWHERE"} {
		if strings.Contains(env, planted) {
			t.Errorf("Terraform's environment holds %q:\n%s", planted, env)
		}
	}
	for _, want := range []string{"CLOUD_REGION=eu-west-9", "TF_IN_AUTOMATION=1", "HOME=" + filepath.Join(r.root, "home"), "TF_PLUGIN_CACHE_DIR=" + filepath.Join(r.root, "plugin-cache"), "PATH="} {
		if !strings.Contains(env, want) {
			t.Errorf("Terraform's environment lacks %q:\n%s", want, env)
		}
	}
}

func TestEnvAllowListRefusesPorticoAndTokens(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"PORTICO_GITHUB_PRIVATE_KEY", "portico_x", "GITHUB_TOKEN", "GH_TOKEN", "TF_VAR_x", "TF_CLI_ARGS", "HOME", "PATH", "A=B", ""} {
		if _, err := New(Config{DataDir: t.TempDir(), Env: []string{name}}); err == nil {
			t.Errorf("terraform.env accepted %q", name)
		}
	}
}

// sleepModule hangs in apply: a local-exec provisioner sleeping.
func sleepModule(seconds int) fstest.MapFS {
	return module(map[string]string{"main.tf": `
resource "terraform_data" "slow" {
  provisioner "local-exec" { command = "sleep ` + strconv.Itoa(seconds) + `" }
}
output "done" { value = terraform_data.slow.id }
`})
}

var quickModule = module(map[string]string{"main.tf": `
resource "terraform_data" "quick" { input = "ok" }
output "done" { value = terraform_data.quick.output }
`})

func TestTimeoutThenNextRunWorks(t *testing.T) {
	r := newRunner(t, Config{Timeout: 3 * time.Second, Grace: 2 * time.Second})
	ctx := context.Background()
	start := time.Now()
	res, err := r.Apply(ctx, Request{Workspace: "acme/api/alice/slow", Module: sleepModule(30)})
	took := time.Since(start)
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("hung apply ended with %v, want a timeout\n%s", err, res.Log)
	}
	if took > 15*time.Second {
		t.Errorf("timed-out run took %s: the interrupt and kill did not stop it", took)
	}
	// The next run, by a runner of the default timeout on the same data
	// directory (3 s would not do for a loaded machine).
	r2 := newRunner(t, Config{DataDir: r.cfg.DataDir})
	res, err = r2.Apply(ctx, Request{Workspace: "acme/api/alice/slow", Module: quickModule})
	if err != nil {
		t.Fatalf("run after the timeout: %v\n%s", err, res.Log)
	}
	if outputString(t, res, "done") != "ok" {
		t.Errorf("outputs after timeout: %v", res.Outputs)
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	r := newRunner(t, Config{Grace: 2 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(2*time.Second, cancel)
	start := time.Now()
	res, err := r.Apply(ctx, Request{Workspace: "acme/api/alice/cancel", Module: sleepModule(30)})
	if !errors.Is(err, ErrCanceled) {
		t.Fatalf("canceled apply ended with %v\n%s", err, res.Log)
	}
	if took := time.Since(start); took > 15*time.Second {
		t.Errorf("canceled run took %s", took)
	}
	if res, err := r.Apply(context.Background(), Request{Workspace: "acme/api/alice/cancel", Module: quickModule}); err != nil {
		t.Fatalf("run after cancel: %v\n%s", err, res.Log)
	}
}

// terraformPID finds the Terraform process working in dir.
func terraformPID(t *testing.T, bin, dir string) int {
	t.Helper()
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		exe, _ := os.Readlink(p + "/exe")
		cwd, _ := os.Readlink(p + "/cwd")
		if exe == bin && cwd == dir {
			pid, _ := strconv.Atoi(filepath.Base(p))
			return pid
		}
	}
	return 0
}

// waitFor polls cond every 50 ms for up to 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("waited 20 s for %s", what)
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }

func TestKill9OfTerraformMidApply(t *testing.T) {
	t.Parallel()
	r := newRunner(t, Config{})
	l := r.layout("acme/api/alice/killed")
	done := make(chan error, 1)
	var res *Result
	go func() {
		var err error
		res, err = r.Apply(context.Background(), Request{Workspace: "acme/api/alice/killed", Module: sleepModule(30)})
		done <- err
	}()
	waitFor(t, "the apply to lock the state", func() bool { return exists(l.lockInfo()) && exists(l.record()) })
	pid := 0
	waitFor(t, "the terraform process", func() bool { pid = terraformPID(t, r.bin, l.module()); return pid != 0 })
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("apply of a killed terraform succeeded")
		}
		if exists(l.lockInfo()) {
			t.Errorf("the killed run's lock is still there:\n%s", res.Log)
		}
	case <-time.After(25 * time.Second):
		t.Fatal("the run of a killed terraform did not return")
	}
	next, err := r.Apply(context.Background(), Request{Workspace: "acme/api/alice/killed", Module: quickModule})
	if err != nil {
		t.Fatalf("run after kill -9: %v\n%s", err, next.Log)
	}
}

// TestCrashedPorticoLeavesNoBlockingLock plays portico killed with
// Terraform mid-apply: a record of a run of a process that is gone, and
// the lock its Terraform left (Terraform run and killed by hand here).
func TestCrashedPorticoLeavesNoBlockingLock(t *testing.T) {
	t.Parallel()
	r := newRunner(t, Config{})
	const ws = "acme/api/alice/crashed"
	l := r.layout(ws)
	if err := l.prepare(sleepModule(30), nil); err != nil {
		t.Fatal(err)
	}
	started := time.Now().UTC()
	env := r.environ(l.dataDir())
	env["TF_IN_AUTOMATION"] = "1"
	var environ []string
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	run := func(args ...string) *exec.Cmd {
		cmd := exec.Command(r.bin, args...)
		cmd.Dir, cmd.Env = l.module(), environ
		return cmd
	}
	if out, err := run("init", "-input=false").CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	apply := run("apply", "-auto-approve", "-input=false")
	if err := apply.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "terraform to lock the state", func() bool { return exists(l.lockInfo()) })
	_ = apply.Process.Kill()
	_ = apply.Wait()

	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(l.record(), record{RunID: "crashed-run", PID: dead.Process.Pid, Operation: OpApply, Started: started}); err != nil {
		t.Fatal(err)
	}
	res, err := r.Apply(context.Background(), Request{Workspace: ws, Module: quickModule})
	if err != nil {
		t.Fatalf("run after the crash: %v\n%s", err, res.Log)
	}
	if !strings.Contains(res.Log, "previous run crashed-run") {
		t.Errorf("the log does not say the crashed run was recovered:\n%s", res.Log)
	}
	if exists(l.lockInfo()) || exists(l.record()) {
		t.Error("lock info or record left after the recovering run")
	}
}

func TestLockOfOthersIsLeftAlone(t *testing.T) {
	t.Parallel()
	r := newRunner(t, Config{})
	const ws = "acme/api/alice/other-lock"
	l := r.layout(ws)
	if err := os.MkdirAll(l.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	// A lock taken an hour before the recorded run: not that run's.
	if err := writeJSON(l.lockInfo(), lockInfo{ID: "not-ours", Operation: "OperationTypeApply", Created: time.Now().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(l.record(), record{RunID: "gone", PID: 0, Operation: OpApply, Started: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	res, _ := r.Apply(context.Background(), Request{Workspace: ws, Module: quickModule})
	if !strings.Contains(res.Log, "not-ours") || !strings.Contains(res.Log, "left alone") {
		t.Errorf("log does not say the foreign lock was left alone:\n%s", res.Log)
	}
	if strings.Contains(res.Log, "releasing state lock not-ours") {
		t.Error("a lock portico did not take was force-unlocked")
	}
}

func TestRecordOfLiveProcessIsBusy(t *testing.T) {
	t.Parallel()
	r := newRunner(t, Config{})
	l := r.layout("acme/api/alice/busy")
	if err := os.MkdirAll(l.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(l.record(), record{RunID: "elsewhere", PID: os.Getppid(), Started: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Apply(context.Background(), Request{Workspace: "acme/api/alice/busy", Module: quickModule}); !errors.Is(err, ErrBusy) {
		t.Errorf("run over a live process's record: %v, want ErrBusy", err)
	}
}

func TestFailureRedacted(t *testing.T) {
	t.Parallel()
	r := newRunner(t, Config{})
	failing := module(map[string]string{"main.tf": `
variable "db_password" {
  type      = string
  sensitive = true
}
resource "terraform_data" "fail" {
  provisioner "local-exec" { command = "echo 'api token=abcdef0123456789abcdef and ${nonsensitive(var.db_password)}' >&2; exit 3" }
}
`})
	res, err := r.Apply(context.Background(), Request{Workspace: "acme/api/alice/fail", Module: failing,
		Vars: map[string]any{"db_password": "correct-horse-battery"}, Secrets: []string{"correct-horse-battery"}})
	if err == nil {
		t.Fatal("a failing provisioner succeeded")
	}
	for _, text := range []string{err.Error(), res.Log} {
		if strings.Contains(text, "abcdef0123456789abcdef") || strings.Contains(text, "correct-horse-battery") {
			t.Errorf("a secret is in the error or the log:\n%s", text)
		}
	}
	if !strings.Contains(err.Error(), "token="+Redacted) {
		t.Errorf("the error does not say what failed: %v", err)
	}
}
