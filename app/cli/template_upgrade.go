package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"syscall"

	"github.com/portico-dev/portico/app/templating"
	"github.com/portico-dev/portico/app/templating/merge"
	"github.com/portico-dev/portico/app/templating/plan"
	"github.com/portico-dev/portico/app/tree"
)

// TemplateUpgradeOptions are the flags and argument of `portico template upgrade`.
type TemplateUpgradeOptions struct {
	Path      string // the repository's checkout, upgraded in place
	Templates string // platform configuration checkout; "" is the embedded templates
	To        string // the version to upgrade to; "" is the version DIR holds
	DryRun    bool   // print the report and the diff, write nothing
}

func runTemplateUpgradeCmd(ctx context.Context, args []string, stdio IO) (int, error) {
	opts := TemplateUpgradeOptions{}
	fset := newFlagSet("template upgrade", "template upgrade [--templates DIR] [--to VERSION] [--dry-run] PATH", stdio.Err)
	fset.StringVar(&opts.Templates, "templates", "", "platform configuration Git checkout: the target is its working tree, the base its history at the answers' platform_commit; default: the embedded templates")
	fset.StringVar(&opts.To, "to", "", "upgrade to this version: the newest commit of --templates DIR's history whose template is at it (default: DIR's working tree)")
	fset.BoolVar(&opts.DryRun, "dry-run", false, "print what would change and a unified diff per file; write nothing")
	rest, err := parseArgs(fset, args)
	if err != nil {
		return ExitUsage, err
	}
	if len(rest) != 1 {
		return ExitUsage, usagef("template upgrade takes one PATH: the repository's checkout")
	}
	opts.Path = rest[0]
	return RunTemplateUpgrade(ctx, opts, stdio)
}

// RunTemplateUpgrade upgrades the checkout at opts.Path to the newer
// version of the template it was generated from: a three-way merge of the
// template's change onto the repository's files, written in place (or
// shown as a diff with DryRun). It exits 0 when the upgrade merged
// cleanly or there was nothing to upgrade, 1 when conflicts remain in the
// files (inline markers), 2 on errors: usage, I/O, a repository without
// usable answers, a base version that cannot be found, a new required
// parameter without a value.
func RunTemplateUpgrade(ctx context.Context, opts TemplateUpgradeOptions, stdio IO) (int, error) {
	root, err := os.OpenRoot(opts.Path)
	if err != nil {
		return ExitUsage, fmt.Errorf("template upgrade: %w", err)
	}
	defer root.Close()
	ours := &checkoutFiles{root: root}
	answers, err := readCheckoutAnswers(ctx, ours, opts.Path)
	if err != nil {
		return ExitUsage, err
	}
	src, err := openPlatform(opts.Templates)
	if err != nil {
		return ExitUsage, err
	}
	defer src.close()
	target, base, err := upgradeSides(ctx, opts, src, answers, stdio)
	if errors.Is(err, plan.ErrCurrent) {
		return upgradeFailed(stdio, opts.Path, answers, err)
	}
	if err != nil {
		return ExitUsage, err
	}
	p, err := plan.Upgrade(ctx, plan.Input{Answers: answers, Base: base, Target: target, Ours: ours})
	if err != nil {
		return upgradeFailed(stdio, opts.Path, answers, err)
	}
	writeUpgradeReport(stdio.Out, opts, p)
	if opts.DryRun {
		if err := writeUpgradeDiff(stdio.Out, ours.read, p); err != nil {
			return ExitUsage, err
		}
	} else if err := applyUpgrade(root, p); err != nil {
		return ExitUsage, fmt.Errorf("template upgrade %s: %w (the checkout is partly upgraded: git status shows what was written)", opts.Path, err)
	}
	if !p.Clean() {
		return ExitFindings, nil
	}
	return ExitOK, nil
}

// upgradeFailed maps the planner's refusals to their messages and exit codes.
func upgradeFailed(stdio IO, dir string, answers *templating.Answers, err error) (int, error) {
	var missing *templating.MissingParametersError
	switch {
	case errors.Is(err, plan.ErrCurrent):
		fmt.Fprintf(stdio.Out, "%s: already at %s %s: nothing to upgrade\n", dir, answers.Template, answers.Version)
		return ExitOK, nil
	case errors.As(err, &missing):
		return ExitUsage, fmt.Errorf("template upgrade %s: the new version of %s requires %s, which has no default: add %s under values: in %s and run the upgrade again",
			dir, missing.Template, quoteList(missing.Names), pluralIt(missing.Names), path.Join(dir, templating.AnswersPath))
	}
	return ExitUsage, fmt.Errorf("template upgrade %s: %w", dir, err)
}

func quoteList(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%q", n)
	}
	return out
}

func pluralIt(names []string) string {
	if len(names) == 1 {
		return "it"
	}
	return "them"
}

// readCheckoutAnswers reads the checkout's answers file; a repository that
// Backstage generated (the source-template annotation, no answers) is
// told what to add.
func readCheckoutAnswers(ctx context.Context, ours *checkoutFiles, dir string) (*templating.Answers, error) {
	files, err := ours.Files(ctx, []string{templating.AnswersPath, "catalog-info.yaml", "catalog-info.yml"})
	if err != nil {
		return nil, fmt.Errorf("template upgrade %s: %w", dir, err)
	}
	g := templating.Classify(files)
	switch {
	case g.Err != nil:
		return nil, fmt.Errorf("template upgrade %s: %w", dir, g.Err)
	case g.Origin == templating.GeneratedByBackstage:
		return nil, fmt.Errorf("template upgrade %s: generated from template %q by Backstage, without %s: add that file (schema_version: 1, template: %s, version: the template version it was generated from, platform_commit: the platform configuration's commit at that version, values: the parameters it was generated with), then upgrade",
			dir, g.Template, templating.AnswersPath, g.Template)
	case g.Origin == templating.NotGenerated:
		return nil, fmt.Errorf("template upgrade %s: no %s: this checkout was not generated from a template (portico template render writes one)", dir, templating.AnswersPath)
	}
	return g.Answers, nil
}

// checkoutFiles reads a checkout's files inside its root only (os.Root:
// a symbolic link cannot lead out of it), keeping what it read for the
// dry run's diff. It implements plan.Files.
type checkoutFiles struct {
	root *os.Root
	read tree.Tree
}

// maxCheckoutFile bounds one file of the checkout that an upgrade reads.
const maxCheckoutFile = 16 << 20

func (c *checkoutFiles) Files(ctx context.Context, paths []string) (tree.Tree, error) {
	if c.read == nil {
		c.read = tree.Tree{}
	}
	out := tree.Tree{}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f, ok, err := c.file(p)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		if ok {
			out[p], c.read[p] = f, f
		}
	}
	return out, nil
}

func (c *checkoutFiles) file(p string) (tree.File, bool, error) {
	info, err := c.root.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return tree.File{}, false, nil
	}
	if err != nil {
		return tree.File{}, false, err
	}
	switch {
	case info.Mode()&fs.ModeSymlink != 0:
		target, err := c.root.Readlink(p)
		return tree.File{Data: []byte(target), Mode: tree.Symlink}, err == nil, err
	case info.IsDir():
		return tree.File{}, false, errors.New("a directory where the template has a file")
	case !info.Mode().IsRegular():
		return tree.File{}, false, errors.New("not a regular file")
	case info.Size() > maxCheckoutFile:
		return tree.File{}, false, fmt.Errorf("%d bytes, more than the %d an upgrade reads", info.Size(), maxCheckoutFile)
	}
	data, err := c.root.ReadFile(p)
	mode := tree.Regular
	if info.Mode().Perm()&0o111 != 0 {
		mode = tree.Executable
	}
	return tree.File{Data: data, Mode: mode}, err == nil, err
}

// applyUpgrade writes the plan's files and deletes its deleted paths,
// with the folders they leave empty, inside root only.
func applyUpgrade(root *os.Root, p *plan.Plan) error {
	for _, name := range p.Files.Paths() {
		if err := writeFile(root, name, p.Files[name]); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	for _, name := range p.Deleted {
		if err := root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("delete %s: %w", name, err)
		}
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			if root.Remove(d) != nil {
				break
			}
		}
	}
	return nil
}

// writeUpgradeReport prints the upgrade's every path that is not
// unchanged, with its outcome and why, then the counts.
func writeUpgradeReport(w io.Writer, opts TemplateUpgradeOptions, p *plan.Plan) {
	verb := "upgraded"
	if opts.DryRun {
		verb = "would upgrade (dry run, nothing written)"
	}
	fmt.Fprintf(w, "%s %s: %s %s -> %s\n", verb, opts.Path, p.Template, p.From, p.To)
	for _, f := range p.Merge.Changed() {
		fmt.Fprintf(w, "  %-9s %s: %s\n", f.Outcome, f.Path, f.Reason)
	}
	r := p.Merge
	fmt.Fprintf(w, "%d updated, %d added, %d deleted, %d kept, %d in conflict\n",
		r.Count(merge.Updated), r.Count(merge.Added), r.Count(merge.Deleted), r.Count(merge.Kept), r.Count(merge.Conflict))
	if !p.Clean() {
		fmt.Fprintf(w, "resolve the conflicts (between <<<<<<< repository and >>>>>>> template %s in text files), then commit\n", p.To)
	}
}
