package terraform

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Defaults of Config.
const (
	DefaultTimeout  = 30 * time.Minute
	DefaultGrace    = 30 * time.Second
	DefaultLogLimit = 1 << 20
)

// Errors a run can end with, besides Terraform's own failures.
var (
	// ErrTimeout: the run took longer than Config.Timeout.
	ErrTimeout = errors.New("timed out")
	// ErrCanceled: the caller canceled the run.
	ErrCanceled = errors.New("canceled")
	// ErrBusy: another process still runs this workspace.
	ErrBusy = errors.New("workspace busy in another process")
)

// Config configures a Runner.
type Config struct {
	// Binary is "terraform", "tofu" or a path to either; empty tries
	// terraform, then tofu. A bare name is looked up on PATH, then in
	// $(go env GOPATH)/bin.
	Binary string
	// DataDir is portico's data directory; the runner keeps its files
	// under DataDir/terraform.
	DataDir string
	// Env names portico's environment variables that Terraform may see
	// (a cloud's credentials, a proxy). Names of portico's own settings
	// and tokens are refused.
	Env []string
	// Timeout bounds one run (init to apply); 0: DefaultTimeout.
	Timeout time.Duration
	// Grace is how long Terraform has after an interrupt before it is
	// killed; 0: DefaultGrace.
	Grace time.Duration
	// LogLimit bounds the log kept of one run, its last bytes; 0:
	// DefaultLogLimit.
	LogLimit int
	// Getenv reads portico's environment; nil: os.Getenv.
	Getenv func(string) string
}

// Runner runs modules for workspaces. Its methods are safe for concurrent
// use: runs of one workspace wait for each other, others run in parallel.
type Runner struct {
	cfg  Config
	bin  string
	root string

	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// New returns a Runner for cfg, having found the binary.
func New(cfg Config) (*Runner, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("terraform: no data directory")
	}
	if err := CheckEnvNames(cfg.Env); err != nil {
		return nil, fmt.Errorf("terraform.env: %w", err)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Grace <= 0 {
		cfg.Grace = DefaultGrace
	}
	if cfg.LogLimit <= 0 {
		cfg.LogLimit = DefaultLogLimit
	}
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	bin, err := FindBinary(cfg.Binary, cfg.Getenv)
	if err != nil {
		return nil, err
	}
	root, err := filepath.Abs(filepath.Join(cfg.DataDir, "terraform"))
	if err != nil {
		return nil, fmt.Errorf("terraform: data directory: %w", err)
	}
	for _, d := range []string{"home", "plugin-cache", "workspaces"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o700); err != nil {
			return nil, fmt.Errorf("terraform: %w", err)
		}
	}
	return &Runner{cfg: cfg, bin: bin, root: root, locks: map[string]*sync.Mutex{}}, nil
}

// Binary returns the path of the binary the runner runs.
func (r *Runner) Binary() string { return r.bin }

// FindBinary finds name ("terraform", "tofu", a path; empty: terraform,
// then tofu) on PATH or in $(go env GOPATH)/bin, where `go install` puts it.
func FindBinary(name string, getenv func(string) string) (string, error) {
	names := []string{name}
	if name == "" {
		names = []string{"terraform", "tofu"}
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	for _, n := range names {
		if strings.ContainsRune(n, filepath.Separator) {
			if st, err := os.Stat(n); err == nil && !st.IsDir() {
				return filepath.Abs(n)
			}
			continue
		}
		if p, err := exec.LookPath(n); err == nil {
			return filepath.Abs(p)
		}
		for _, dir := range gopathBins(getenv) {
			p := filepath.Join(dir, n)
			if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("terraform: no %s binary on PATH or in GOPATH/bin (install one: go install github.com/hashicorp/terraform@v1.5.7)", strings.Join(names, " or "))
}

// gopathBins lists GOBIN and each GOPATH entry's bin, defaulting to
// ~/go/bin as the go command does.
func gopathBins(getenv func(string) string) []string {
	var dirs []string
	if b := getenv("GOBIN"); b != "" {
		dirs = append(dirs, b)
	}
	gp := getenv("GOPATH")
	if gp == "" {
		if home, err := os.UserHomeDir(); err == nil {
			gp = filepath.Join(home, "go")
		}
	}
	for _, p := range filepath.SplitList(gp) {
		if p != "" {
			dirs = append(dirs, filepath.Join(p, "bin"))
		}
	}
	return dirs
}

// lock takes the in-process lock of a workspace and returns its release.
func (r *Runner) lock(ctx context.Context, id string) (func(), error) {
	r.mu.Lock()
	m, ok := r.locks[id]
	if !ok {
		m = &sync.Mutex{}
		r.locks[id] = m
	}
	r.mu.Unlock()
	got := make(chan struct{})
	go func() { m.Lock(); close(got) }()
	select {
	case <-got:
		return m.Unlock, nil
	case <-ctx.Done():
		go func() { <-got; m.Unlock() }()
		return nil, fmt.Errorf("waiting for workspace %s: %w", id, ErrCanceled)
	}
}
