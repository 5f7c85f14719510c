package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit codes of every command.
const (
	ExitOK       = 0 // clean
	ExitFindings = 1 // findings at or above the failure threshold, or failing policy tests
	ExitUsage    = 2 // usage or I/O errors
	ExitNothing  = 3 // nothing to work on: no descriptor found where the command looked
)

// Version is the portico version, set at build time with -ldflags.
var Version = "dev"

// IO is what a command reads and writes besides its flags, so tests can
// run commands in-process.
type IO struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	Getenv func(string) string
}

// StdIO is the process's own standard streams and environment.
func StdIO() IO {
	return IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv}
}

// usageError is a mistake in how a command was called: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{msg: fmt.Sprintf(format, a...)} }

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdio IO) (int, error)
}

func commands() []command {
	return []command{
		{"validate", "check catalog descriptors with Backstage's rules and the organisation's policies", runValidateCmd},
		{"score", "score entities with the scorecards: level, points and what to fix next", runScoreCmd},
		{"policy", "work with Rego policies (policy test)", runPolicyCmd},
		{"template", "golden-path templates: template list, render, upgrade, status", runTemplateCmd},
		{"catalog", "the central catalog repository: catalog sync, graph, log, diff", runCatalogCmd},
		{"serve", "run the GitHub App: webhooks, pull request checks (first run: a setup page)", runServeCmd},
		{"dev", "developer tools: dev corpus, dev load, dev github (a fake GitHub to try portico serve)", runDevCmd},
		{"version", "print the version", runVersionCmd},
	}
}

// Main runs the command named by args (without the program name) and
// returns the process exit code.
func Main(ctx context.Context, args []string, stdio IO) int {
	if len(args) == 0 || isHelp(args[0]) || args[0] == "help" {
		printUsage(stdio.Out)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			code, err := c.run(ctx, args[1:], stdio)
			return finish(stdio.Err, code, err)
		}
	}
	fmt.Fprintf(stdio.Err, "portico: unknown command %q\n\n", args[0])
	printUsage(stdio.Err)
	return ExitUsage
}

func finish(stderr io.Writer, code int, err error) int {
	if err == nil {
		return code
	}
	if errors.Is(err, errHelp) {
		return ExitOK
	}
	fmt.Fprintf(stderr, "portico: %v\n", err)
	return ExitUsage
}

func isHelp(a string) bool { return a == "-h" || a == "--help" || a == "-help" }

func printUsage(w io.Writer) {
	var b strings.Builder
	b.WriteString("portico: the GitOps engine for internal developer portals\n\nUsage:\n  portico <command> [flags] [args]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-10s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun 'portico <command> --help' for a command's flags.\n")
	io.WriteString(w, b.String())
}

func runVersionCmd(_ context.Context, args []string, stdio IO) (int, error) {
	if len(args) > 0 {
		return ExitUsage, usagef("version takes no arguments")
	}
	fmt.Fprintf(stdio.Out, "portico %s\n", Version)
	return ExitOK, nil
}
