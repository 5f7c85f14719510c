package cli

import (
	"context"
	"fmt"

	"github.com/portico-dev/portico/app/corpus"
)

// runDevCmd groups developer tools: things to try portico and to measure it
// without a GitHub organisation.
func runDevCmd(ctx context.Context, args []string, stdio IO) (int, error) {
	if len(args) > 0 && args[0] == "corpus" {
		return runDevCorpus(ctx, args[1:], stdio)
	}
	if len(args) > 0 && args[0] == "load" {
		return runDevLoad(ctx, args[1:], stdio)
	}
	if len(args) > 0 && args[0] == "github" {
		return runDevGitHub(ctx, args[1:], stdio)
	}
	fmt.Fprintln(stdio.Err, "Usage: portico dev corpus [--files N] [--seed S] DIR   (write a synthetic descriptor tree)")
	fmt.Fprintln(stdio.Err, "       portico dev load --url URL --secret S [--count N] [--concurrency C]   (send signed deliveries, measure acceptance)")
	fmt.Fprintln(stdio.Err, "       portico dev load --scenario burst|pushes|bulk|large [--count N]   (measure pull request checks on a fake GitHub)")
	fmt.Fprintln(stdio.Err, "       portico "+devGitHubUsage+"   (run a fake GitHub)")
	if len(args) > 0 && isHelp(args[0]) {
		return ExitOK, nil
	}
	return ExitUsage, usagef("dev: unknown or missing subcommand")
}

func runDevCorpus(_ context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("dev corpus", "dev corpus [--files N] [--seed S] DIR", stdio.Err)
	files := fs.Int("files", 10000, "descriptor files to write")
	seed := fs.Uint64("seed", 1, "random seed: the same seed writes the same tree")
	dirs, err := parseArgs(fs, args)
	if err != nil {
		return ExitUsage, err
	}
	if len(dirs) != 1 || *files < 0 {
		return ExitUsage, usagef("dev corpus takes one directory and a non-negative --files")
	}
	st, err := corpus.Generate(dirs[0], *files, *seed)
	if err != nil {
		return ExitUsage, err
	}
	fmt.Fprintf(stdio.Out, "wrote %d files, %d documents (%d broken), %d bytes to %s\n",
		st.Files, st.Documents, st.Broken, st.Bytes, dirs[0])
	return ExitOK, nil
}
