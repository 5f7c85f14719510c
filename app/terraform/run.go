package terraform

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// Request is one run of a module for a workspace.
type Request struct {
	// Workspace is the workspace id, "owner/repo/user/name" (see
	// CheckWorkspaceID); it names the working directory and the state.
	Workspace string
	// Module is the Terraform module, e.g. a template's workspace/ folder.
	Module fs.FS
	// Vars are the module's input variables, written as a
	// *.auto.tfvars.json file, never put on a command line.
	Vars map[string]any
	// Secrets are values to blank from the log and outputs besides those
	// Redact recognises (the values of sensitive variables).
	Secrets []string
}

// Output is one of the module's outputs.
type Output struct {
	// Value is the output's value as JSON; for a sensitive output it is
	// null and Sensitive is true: callers have nothing to leak.
	Value json.RawMessage `json:"value"`
	// Sensitive marks an output declared sensitive.
	Sensitive bool `json:"sensitive,omitempty"`
}

// Result is what a run did.
type Result struct {
	RunID     string `json:"run_id"`
	Operation string `json:"operation"`
	// Changed reports whether the plan had changes.
	Changed bool `json:"changed"`
	// Outputs are the module's outputs after the run (none after a
	// destroy), redacted.
	Outputs map[string]Output `json:"outputs,omitempty"`
	// Log is the run's output, stdout and stderr together, redacted, its
	// last Config.LogLimit bytes.
	Log string `json:"log"`
	// LogTruncated reports that the log's beginning was dropped.
	LogTruncated bool `json:"log_truncated,omitempty"`
	// LogFile is where the log is kept in the data directory.
	LogFile  string        `json:"log_file,omitempty"`
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration"`

	secrets []string // values to blank: the request's, sensitive outputs'
}

// Operations of a run.
const (
	OpApply   = "apply"
	OpDestroy = "destroy"
)

// Apply copies the module into the workspace's working directory, then
// inits, plans to a saved plan file, applies that plan and reads the
// outputs. The Result comes back with its log even when the run fails.
func (r *Runner) Apply(ctx context.Context, req Request) (*Result, error) {
	return r.run(ctx, req, OpApply)
}

// Destroy destroys what the workspace's state holds, with the module and
// variables given (a plan of destroy, applied).
func (r *Runner) Destroy(ctx context.Context, req Request) (*Result, error) {
	return r.run(ctx, req, OpDestroy)
}

func newRunID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

func (r *Runner) run(ctx context.Context, req Request, op string) (*Result, error) {
	if err := CheckWorkspaceID(req.Workspace); err != nil {
		return nil, fmt.Errorf("terraform: %w", err)
	}
	unlock, err := r.lock(ctx, req.Workspace)
	if err != nil {
		return nil, fmt.Errorf("terraform: %w", err)
	}
	defer unlock()

	res := &Result{RunID: newRunID(), Operation: op, Started: time.Now(), secrets: req.Secrets}
	log := newTail(2 * r.cfg.LogLimit)
	runCtx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel()
	err = r.steps(runCtx, req, op, res, log)
	res.Duration = time.Since(res.Started)
	if err != nil {
		explained := r.explain(ctx, runCtx, op, err)
		err = redactedError{text: Redact(explained.Error(), res.secrets...), err: explained}
		log.printf("%s failed after %s: %v", op, res.Duration.Round(time.Millisecond), err)
	} else {
		log.printf("%s done in %s", op, res.Duration.Round(time.Millisecond))
	}
	r.finishLog(req, res, log)
	return res, err
}

// redactedError is a run's error, whose text (Terraform's stderr among
// it) is redacted; errors.Is still finds ErrTimeout and the like.
type redactedError struct {
	text string
	err  error
}

func (e redactedError) Error() string { return e.text }
func (e redactedError) Unwrap() error { return e.err }

// explain wraps a failed run's error with ErrTimeout or ErrCanceled when
// the run was stopped rather than failed.
func (r *Runner) explain(parent, runCtx context.Context, op string, err error) error {
	switch {
	case parent.Err() != nil:
		return fmt.Errorf("terraform %s: %w: %w", op, ErrCanceled, err)
	case errors.Is(runCtx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("terraform %s: %w after %s: %w", op, ErrTimeout, r.cfg.Timeout, err)
	default:
		return fmt.Errorf("terraform %s: %w", op, err)
	}
}

// steps runs init, plan and apply, recording the run for its duration.
func (r *Runner) steps(ctx context.Context, req Request, op string, res *Result, log *tail) error {
	l := r.layout(req.Workspace)
	if err := l.prepare(req.Module, req.Vars); err != nil {
		return err
	}
	tf, err := r.terraform(l, log)
	if err != nil {
		return err
	}
	log.printf("%s of workspace %s, run %s, with %s", op, req.Workspace, res.RunID, r.bin)
	if err := tf.Init(ctx, tfexec.Upgrade(false), tfexec.Reconfigure(true)); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	if err := r.recoverStale(ctx, tf, l, log); err != nil {
		return err
	}
	rec := record{RunID: res.RunID, PID: os.Getpid(), Operation: op, Started: res.Started.UTC()}
	if err := writeJSON(l.record(), rec); err != nil {
		return err
	}
	err = r.planApply(ctx, tf, l, op, res)
	if err == nil {
		return os.Remove(l.record())
	}
	// Terraform was stopped or killed: release the lock it may have left,
	// with a context of its own since ctx may be what stopped it.
	cleanup, cancel := context.WithTimeout(context.Background(), r.cfg.Grace+10*time.Second)
	defer cancel()
	if uerr := r.releaseLock(cleanup, tf, l, rec, log); uerr != nil {
		return errors.Join(err, uerr)
	}
	return errors.Join(err, os.Remove(l.record()))
}

func (r *Runner) planApply(ctx context.Context, tf *tfexec.Terraform, l layout, op string, res *Result) error {
	_ = os.Remove(l.plan())
	changed, err := tf.Plan(ctx, tfexec.Out(l.plan()), tfexec.Destroy(op == OpDestroy))
	if err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	res.Changed = changed
	if err := tf.Apply(ctx, tfexec.DirOrPlan(l.plan())); err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	_ = os.Remove(l.plan())
	outs, err := tf.Output(ctx)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	res.secrets = append(res.secrets, sensitiveValues(outs)...)
	res.Outputs = redactOutputs(outs, res.secrets)
	return nil
}

// terraform returns terraform-exec's handle on the module's copy, with the
// minimal environment, the grace period and the log.
func (r *Runner) terraform(l layout, log *tail) (*tfexec.Terraform, error) {
	tf, err := tfexec.NewTerraform(l.module(), r.bin)
	if err != nil {
		return nil, err
	}
	if err := tf.SetEnv(r.environ(l.dataDir())); err != nil {
		return nil, err
	}
	if err := tf.SetWaitDelay(r.cfg.Grace); err != nil {
		return nil, err
	}
	tf.SetStdout(log)
	tf.SetStderr(log)
	return tf, nil
}

// redactOutputs turns terraform-exec's outputs into Outputs: sensitive
// ones lose their value, the others are redacted.
func redactOutputs(outs map[string]tfexec.OutputMeta, secrets []string) map[string]Output {
	res := make(map[string]Output, len(outs))
	for name, o := range outs {
		if o.Sensitive {
			res[name] = Output{Value: json.RawMessage("null"), Sensitive: true}
			continue
		}
		v := json.RawMessage(Redact(string(o.Value), secrets...))
		if !json.Valid(v) {
			v, _ = json.Marshal(Redacted)
		}
		res[name] = Output{Value: v}
	}
	return res
}

// sensitiveValues lists the text of the sensitive outputs, to blank from
// the log.
func sensitiveValues(outs map[string]tfexec.OutputMeta) []string {
	var vals []string
	for _, o := range outs {
		if !o.Sensitive {
			continue
		}
		vals = append(vals, string(o.Value))
		var s string
		if json.Unmarshal(o.Value, &s) == nil {
			vals = append(vals, s)
		}
	}
	return vals
}

// keptLogs is how many run logs each workspace keeps.
const keptLogs = 20

// finishLog redacts the log into res and keeps it in the workspace's
// logs/ folder, dropping the oldest beyond keptLogs.
func (r *Runner) finishLog(req Request, res *Result, log *tail) {
	text, dropped := log.text()
	res.Log, res.LogTruncated = cut(Redact(text, res.secrets...), r.cfg.LogLimit, dropped)
	dir := r.layout(req.Workspace).logs()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return
	}
	path := filepath.Join(dir, res.RunID+".log")
	if os.WriteFile(path, []byte(res.Log), 0o600) == nil {
		res.LogFile = path
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) <= keptLogs {
		return
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, n := range names[:len(names)-keptLogs] {
		_ = os.Remove(filepath.Join(dir, n))
	}
}
