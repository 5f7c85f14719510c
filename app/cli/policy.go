package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/policy"
	"github.com/portico-dev/portico/policies"
)

func runPolicyCmd(ctx context.Context, args []string, stdio IO) (int, error) {
	if len(args) == 0 || args[0] != "test" {
		fmt.Fprintln(stdio.Err, "Usage: portico policy test [DIR]   (runs the test_* rules of *_test.rego; default: the embedded bundle)")
		if len(args) > 0 && isHelp(args[0]) {
			return ExitOK, nil
		}
		return ExitUsage, usagef("policy: unknown or missing subcommand")
	}
	fset := newFlagSet("policy test", "policy test [DIR]", stdio.Err)
	dirs, err := parseArgs(fset, args[1:])
	if err != nil {
		return ExitUsage, err
	}
	if len(dirs) > 1 {
		return ExitUsage, usagef("policy test takes one directory")
	}
	dir := ""
	if len(dirs) == 1 {
		dir = dirs[0]
	}
	return runPolicyTests(ctx, dir, stdio)
}

// runPolicyTests runs the tests of dir, or of the embedded bundle. A
// directory without .rego files, or without tests, is nothing to test:
// a script that asked for its tests must not read that as a pass.
func runPolicyTests(ctx context.Context, dir string, stdio IO) (int, error) {
	fsys, err := policyFS(dir)
	if err != nil {
		return ExitUsage, fmt.Errorf("policy test: %w", err)
	}
	settings, err := config.PolicyFromEnv(stdio.Getenv)
	if err != nil {
		return ExitUsage, fmt.Errorf("policy test: %w", err)
	}
	passed, failed, err := runBundleTests(ctx, dir, fsys, stdio.Out, settings.AllowBuiltins)
	if errors.Is(err, policy.ErrNoPolicies) {
		fmt.Fprintf(stdio.Err, "portico: no .rego file in %s: nothing to test\n", dir)
		return ExitNothing, nil
	}
	if err != nil {
		return ExitUsage, fmt.Errorf("policy test: %w", err)
	}
	fmt.Fprintf(stdio.Out, "%d passed, %d failed\n", passed, failed)
	switch {
	case failed > 0:
		return ExitFindings, nil
	case passed == 0:
		fmt.Fprintf(stdio.Err, "portico: no test_* rule in %s: nothing was tested\n", dir)
		return ExitNothing, nil
	}
	return ExitOK, nil
}

// loadPolicy compiles the policies of dir, or the embedded default bundle,
// with the PORTICO_POLICY_* settings of the environment.
func loadPolicy(ctx context.Context, dir string, getenv func(string) string) (*policy.Engine, error) {
	fsys, err := policyFS(dir)
	if err != nil {
		return nil, err
	}
	settings, err := config.PolicyFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	eng, err := policy.New(ctx, fsys,
		policy.WithAllowedBuiltins(settings.AllowBuiltins...),
		policy.WithEvalTimeout(settings.EvalTimeout),
		policy.WithSeverity(settings.Severity))
	if errors.Is(err, policy.ErrNoPolicies) {
		return nil, fmt.Errorf("--policy %s: no .rego policy file in it (*_test.rego files hold tests only); name the directory that holds your policies", dir)
	}
	return eng, err
}

// policyFS is the bundle in dir, or the embedded one when dir is empty.
func policyFS(dir string) (fs.FS, error) {
	if dir == "" {
		return policies.FS, nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("load policies: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("load policies: %s is not a directory", dir)
	}
	return os.DirFS(dir), nil
}
