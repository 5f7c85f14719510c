package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/policy"
	"github.com/portico-dev/portico/app/report"
	"github.com/portico-dev/portico/app/validate"
)

// ValidateOptions are the flags and arguments of `portico validate`.
type ValidateOptions struct {
	Paths         []string
	Format        string
	PolicyDir     string
	FailOn        string
	BackstageOnly bool
	MaxBytes      int64
	Globs         []string
	Workers       int
	Output        string
	Catalog       string // central catalog repository: references are checked against it
	RefSeverity   string // severity of a dangling reference: warning or error
}

func runValidateCmd(ctx context.Context, args []string, stdio IO) (int, error) {
	opts := ValidateOptions{}
	fs := newFlagSet("validate", "validate [flags] [PATH...]   (files, directories, - for stdin; default .)", stdio.Err)
	fs.StringVar(&opts.Format, "format", "text", "output format: text, json, github or sarif")
	fs.StringVar(&opts.PolicyDir, "policy", "", "directory of Rego policies replacing the embedded default bundle")
	fs.StringVar(&opts.FailOn, "fail-on", "error", "lowest severity that fails the run: error or warning")
	fs.BoolVar(&opts.BackstageOnly, "backstage-only", false, "apply Backstage's rules only, no organisation policies")
	fs.Int64Var(&opts.MaxBytes, "max-bytes", descriptor.DefaultMaxBytes, "refuse descriptor files larger than this")
	fs.Var((*listFlag)(&opts.Globs), "glob", "extra file pattern to pick up in directories (repeatable), e.g. '*.entity.yaml'")
	fs.IntVar(&opts.Workers, "workers", 0, "files checked in parallel (default: number of CPUs)")
	fs.StringVar(&opts.Output, "output", "", "write the report to this file instead of standard output")
	fs.StringVar(&opts.Catalog, "catalog", "", "central catalog: a local repository, owner/name of a GitHub repository or a Git URL; report references to entities neither in it nor among the files checked")
	fs.StringVar(&opts.RefSeverity, "reference-severity", "warning", "severity of a reference that --catalog cannot resolve: warning or error")
	paths, err := parseArgs(fs, args)
	if err != nil {
		return ExitUsage, err
	}
	opts.Paths = paths
	if stdio.Getenv("GOGC") == "" {
		// A run's live heap is small and bounded (it streams), and the
		// policy evaluator allocates briskly: collecting less often cuts a
		// quarter of the CPU time for a few MiB more memory.
		debug.SetGCPercent(400)
	}
	return RunValidate(ctx, opts, stdio)
}

// RunValidate checks the descriptors named by opts and writes the report to
// stdio.Out. It returns ExitFindings when a finding reaches opts.FailOn.
func RunValidate(ctx context.Context, opts ValidateOptions, stdio IO) (int, error) {
	threshold, err := failThreshold(opts.FailOn)
	if err != nil {
		return ExitUsage, err
	}
	if len(opts.Paths) == 0 {
		opts.Paths = []string{"."}
	}
	var pol validate.Policy
	var docs []policy.RuleDoc
	if !opts.BackstageOnly {
		eng, err := loadPolicy(ctx, opts.PolicyDir, stdio.Getenv)
		if err != nil {
			return ExitUsage, err
		}
		pol, docs = eng, eng.RuleDocs()
	}
	out, closeOut, err := openOutput(opts.Output, stdio.Out)
	if err != nil {
		return ExitUsage, err
	}
	defer closeOut()
	w, err := report.New(opts.Format, out, reportOptions(stdio, docs))
	if err != nil {
		return ExitUsage, usagef("%v", err)
	}
	checker, err := withCatalog(ctx, validate.NewChecker(pol, opts.MaxBytes).WithTree(validate.DiskTree).WithLocations(diskLocations(stdio.Getenv)), opts, stdio.Getenv)
	if err != nil {
		return ExitUsage, err
	}
	res, err := validate.Run(ctx, checker, opts.Paths, w, validate.Options{Globs: opts.Globs, Workers: opts.Workers, Stdin: stdio.In})
	if err == nil {
		err = closeOut()
	}
	if err == nil {
		err = writeActionOutputs(stdio, res.Summary)
	}
	if err != nil {
		return ExitUsage, err
	}
	if nothing := explainRun(stdio.Err, res, opts.Paths); nothing {
		return ExitNothing, nil
	}
	return exitCode(res, threshold), nil
}

// explainRun tells on standard error what a run left out: skipped
// template skeletons, and that no descriptor was found at all, which it
// reports as nothing to check (a script asked for descriptors and there
// were none: not a success).
func explainRun(w io.Writer, res validate.Result, paths []string) (nothing bool) {
	if res.Skeletons > 0 {
		fmt.Fprintf(w, "portico: skipped %d template skeleton file(s): they hold ${{ }} expressions and become descriptors only once a template renders them\n", res.Skeletons)
	}
	if res.Summary.Files > 0 || res.IOErrors > 0 {
		return false
	}
	fmt.Fprintf(w, "portico: no descriptor to check in %s (looked for catalog-info.yaml, catalog-info.yml, *.catalog.yaml, *.catalog.yml and --glob patterns)\n",
		strings.Join(paths, " "))
	return true
}

// withCatalog adds the reference check when opts name a catalog.
func withCatalog(ctx context.Context, c *validate.Checker, opts ValidateOptions, getenv func(string) string) (*validate.Checker, error) {
	sev := descriptor.Severity(opts.RefSeverity)
	if sev == "" {
		sev = descriptor.SeverityWarning
	}
	if sev != descriptor.SeverityWarning && sev != descriptor.SeverityError {
		return nil, usagef("--reference-severity must be warning or error, not %q", opts.RefSeverity)
	}
	if opts.Catalog == "" {
		return c, nil
	}
	cat, err := loadCatalog(ctx, opts.Catalog, getenv)
	if err != nil {
		return nil, err
	}
	return c.WithReferences(validate.References{Catalog: cat, Severity: sev}), nil
}

// writeActionOutputs sets the step outputs errors and warnings when
// running inside GitHub Actions, whatever the report format.
func writeActionOutputs(stdio IO, s report.Summary) error {
	path := stdio.Getenv("GITHUB_OUTPUT")
	if path == "" || stdio.Getenv("GITHUB_ACTIONS") != "true" {
		return nil
	}
	return report.WriteStepOutputs(path, s)
}

// openOutput opens the report file, or stdout, buffered. The close
// function flushes (and closes a file); it may be called more than once.
func openOutput(path string, stdout io.Writer) (io.Writer, func() error, error) {
	var dst io.Writer = stdout
	var f *os.File
	if path != "" {
		var err error
		if f, err = os.Create(path); err != nil {
			return nil, nil, fmt.Errorf("open report file: %w", err)
		}
		dst = f
	}
	bw := bufio.NewWriterSize(dst, 64<<10)
	var once sync.Once
	var cerr error
	return bw, func() error {
		once.Do(func() {
			cerr = bw.Flush()
			if f != nil {
				cerr = errors.Join(cerr, f.Close())
			}
		})
		return cerr
	}, nil
}

func failThreshold(s string) (descriptor.Severity, error) {
	switch sev := descriptor.Severity(s); sev {
	case descriptor.SeverityError, descriptor.SeverityWarning:
		return sev, nil
	}
	return "", usagef("--fail-on must be error or warning, not %q", s)
}

func exitCode(res validate.Result, threshold descriptor.Severity) int {
	switch {
	case res.IOErrors > 0:
		return ExitUsage
	case res.Summary.Errors > 0:
		return ExitFindings
	case res.Summary.Warnings > 0 && threshold == descriptor.SeverityWarning:
		return ExitFindings
	}
	return ExitOK
}

// reportOptions links rule ids to portico's pages, under PORTICO_DOCS_URL
// for users who reach a mirror of the repository rather than github.com,
// and to what the policies' annotations say about their own ids.
func reportOptions(stdio IO, docs []policy.RuleDoc) report.Options {
	return report.Options{
		StepSummaryPath: stdio.Getenv("GITHUB_STEP_SUMMARY"),
		Rules:           report.PolicyRules(stdio.Getenv("PORTICO_DOCS_URL"), docs),
	}
}
