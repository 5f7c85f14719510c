package cli

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5"

	"github.com/portico-dev/portico/app/templating"
)

const templateUsage = `Usage:
  portico template list [--templates DIR] [--format text|json]
  portico template render NAME --values FILE --out DIR [--templates DIR] [--force]
  portico template upgrade [--templates DIR] [--to VERSION] [--dry-run] PATH
  portico template status [--templates DIR] [--catalog SRC] [--format text|json] [PATH...]

template upgrade exits 0 when it merged cleanly (or there was nothing to
upgrade), 1 when conflicts remain in the files, 2 on errors.`

func runTemplateCmd(ctx context.Context, args []string, stdio IO) (int, error) {
	if len(args) > 0 {
		switch args[0] {
		case "list":
			return runTemplateListCmd(ctx, args[1:], stdio)
		case "render":
			return runTemplateRenderCmd(ctx, args[1:], stdio)
		case "upgrade":
			return runTemplateUpgradeCmd(ctx, args[1:], stdio)
		case "status":
			return runTemplateStatusCmd(ctx, args[1:], stdio)
		}
	}
	fmt.Fprintln(stdio.Err, templateUsage)
	if len(args) > 0 && isHelp(args[0]) {
		return ExitOK, nil
	}
	return ExitUsage, usagef("template: unknown or missing subcommand")
}

// platformSource is a platform configuration to read templates from.
type platformSource struct {
	fsys   fs.FS
	commit string // "" when not a Git checkout
	name   string // for messages
	close  func() error
}

// openPlatform opens --templates DIR: a checkout of the platform
// configuration (with a templates/ folder), or a templates folder on its
// own; the embedded defaults when dir is "". Paths stay inside DIR
// (os.Root), so a symbolic link cannot reach outside it.
func openPlatform(dir string) (*platformSource, error) {
	if dir == "" {
		return &platformSource{fsys: templating.Embedded(), name: "the embedded templates", close: func() error { return nil }}, nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("--templates: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("--templates: %s is not a directory", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("--templates: %w", err)
	}
	src := &platformSource{fsys: root.FS(), name: dir, close: root.Close, commit: headCommit(dir)}
	if _, err := fs.Stat(src.fsys, templating.TemplatesDir); err != nil {
		src.fsys = templating.Mount(templating.TemplatesDir, root.FS())
	}
	return src, nil
}

// headCommit is the commit checked out in dir's repository, "" when dir
// is not in one.
func headCommit(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	repo, err := git.PlainOpenWithOptions(abs, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return ""
	}
	head, err := repo.Head()
	if err != nil {
		return ""
	}
	return head.Hash().String()
}

// loadTemplates lists the templates of src, writing every finding to
// stderr; errors reports whether any refused a template.
func loadTemplates(src *platformSource, stdio IO) (ts []*templating.Template, errors bool) {
	ts, findings := templating.List(src.fsys)
	for _, f := range findings {
		fmt.Fprintln(stdio.Err, f)
		errors = errors || f.IsError()
	}
	return ts, errors
}
