package cli

import (
	"context"
	"fmt"
	"io/fs"
	"os"

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
	var fsys fs.FS = policies.FS
	if len(dirs) == 1 {
		fsys = os.DirFS(dirs[0])
	}
	passed, failed, err := policy.RunTests(ctx, fsys, stdio.Out)
	if err != nil {
		return ExitUsage, fmt.Errorf("policy test: %w", err)
	}
	fmt.Fprintf(stdio.Out, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return ExitFindings, nil
	}
	return ExitOK, nil
}
