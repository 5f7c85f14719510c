package terraform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// record is written in the workspace before a run starts and removed when
// it ends, so that a run left behind by a crash is known to be portico's.
type record struct {
	RunID     string    `json:"run_id"`
	PID       int       `json:"pid"`
	Operation string    `json:"operation"`
	Started   time.Time `json:"started"`
}

// lockInfo is what Terraform's local backend writes beside a locked state.
type lockInfo struct {
	ID        string    `json:"ID"`
	Operation string    `json:"Operation"`
	Who       string    `json:"Who"`
	Created   time.Time `json:"Created"`
}

func readJSON(path string, v any) (bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	return true, nil
}

// alive reports whether a process with this id exists.
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// recoverStale looks at the record of the workspace's previous run. None:
// nothing to do. One of another live process: ErrBusy. One of a run that
// is gone (portico or Terraform killed): the state lock that run left, if
// any, is force-unlocked, only when the lock was taken after the run
// started, and the record removed.
func (r *Runner) recoverStale(ctx context.Context, tf *tfexec.Terraform, l layout, log *tail) error {
	var rec record
	ok, err := readJSON(l.record(), &rec)
	if err != nil || !ok {
		return err
	}
	if rec.PID != os.Getpid() && alive(rec.PID) {
		return fmt.Errorf("run %s of process %d: %w", rec.RunID, rec.PID, ErrBusy)
	}
	log.printf("previous run %s (%s, process %d, started %s) did not finish", rec.RunID, rec.Operation, rec.PID, rec.Started.UTC().Format(time.RFC3339))
	if err := r.releaseLock(ctx, tf, l, rec, log); err != nil {
		return err
	}
	return os.Remove(l.record())
}

// releaseLock force-unlocks the state lock that the run of rec left, if
// any: a lock taken before rec started is not that run's and stays.
func (r *Runner) releaseLock(ctx context.Context, tf *tfexec.Terraform, l layout, rec record, log *tail) error {
	var info lockInfo
	ok, err := readJSON(l.lockInfo(), &info)
	if err != nil || !ok {
		return err
	}
	if info.ID == "" || info.Created.Before(rec.Started.Add(-time.Second)) {
		log.printf("state lock %s (created %s) predates run %s: left alone", info.ID, info.Created.UTC().Format(time.RFC3339), rec.RunID)
		return nil
	}
	log.printf("releasing state lock %s left by run %s", info.ID, rec.RunID)
	err = tf.ForceUnlock(ctx, info.ID)
	if err == nil || !strings.Contains(err.Error(), "LocalState not locked") {
		if err != nil {
			return fmt.Errorf("force-unlock %s: %w", info.ID, err)
		}
		return nil
	}
	// The local backend's lock is an flock on the state file, which died
	// with the process that held it; only its lock info file is left, and
	// force-unlock from another process cannot remove it. Remove it when
	// nobody holds the flock.
	return removeStaleLockInfo(l, info.ID, log)
}

// removeStaleLockInfo removes the local backend's lock info file after
// checking, by taking it, that no process holds the state file's flock.
func removeStaleLockInfo(l layout, id string, log *tail) error {
	f, err := os.OpenFile(l.state(), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return fmt.Errorf("state lock %s: %w (flock: %w)", id, ErrBusy, err)
	}
	defer func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }()
	log.printf("state lock %s died with its process (the local backend's flock); removing its stale lock info", id)
	if err := os.Remove(l.lockInfo()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
