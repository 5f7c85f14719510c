package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/templating"
	"github.com/portico-dev/portico/app/tree"
)

// TemplateRenderOptions are the flags and argument of `portico template render`.
type TemplateRenderOptions struct {
	Name      string
	Values    string // YAML or JSON file of parameter values
	Out       string
	Templates string
	Force     bool // write into a non-empty Out
}

func runTemplateRenderCmd(ctx context.Context, args []string, stdio IO) (int, error) {
	opts := TemplateRenderOptions{}
	fset := newFlagSet("template render", "template render NAME --values FILE --out DIR [--templates DIR] [--force]", stdio.Err)
	fset.StringVar(&opts.Values, "values", "", "YAML or JSON file of parameter values (required)")
	fset.StringVar(&opts.Out, "out", "", "directory to write the new repository's files to (required)")
	fset.StringVar(&opts.Templates, "templates", "", "platform configuration checkout (or its templates/ folder); default: the embedded templates")
	fset.BoolVar(&opts.Force, "force", false, "write into --out even when it is not empty")
	rest, err := parseArgs(fset, args)
	if err != nil {
		return ExitUsage, err
	}
	if len(rest) != 1 || opts.Values == "" || opts.Out == "" {
		return ExitUsage, usagef("template render takes one template NAME, --values FILE and --out DIR")
	}
	opts.Name = rest[0]
	return RunTemplateRender(ctx, opts, stdio)
}

// RunTemplateRender writes what a new repository generated from the
// template would hold, answers file included. Values the template's
// schema refuses, and a template that fails to render, exit 1; usage and
// I/O errors 2.
func RunTemplateRender(ctx context.Context, opts TemplateRenderOptions, stdio IO) (int, error) {
	if err := checkOut(opts.Out, opts.Force); err != nil {
		return ExitUsage, err
	}
	values, err := readValues(opts.Values)
	if err != nil {
		return ExitUsage, err
	}
	src, err := openPlatform(opts.Templates)
	if err != nil {
		return ExitUsage, err
	}
	defer src.close()
	ts, _ := loadTemplates(src, stdio)
	t := templating.Find(ts, opts.Name)
	if t == nil {
		return ExitUsage, fmt.Errorf("template render: no template named %q in %s", opts.Name, src.name)
	}
	out, err := t.Render(ctx, src.fsys, values, templating.Provenance{Commit: src.commit})
	if err != nil {
		fmt.Fprintf(stdio.Err, "portico: %v\n", err)
		return ExitFindings, nil
	}
	if err := writeTree(opts.Out, out); err != nil {
		return ExitUsage, err
	}
	fmt.Fprintf(stdio.Out, "rendered %s %s into %s: %d files\n", t.Name, t.Version, opts.Out, len(out))
	return ExitOK, nil
}

// checkOut refuses an --out directory that holds anything, unless force.
func checkOut(dir string, force bool) error {
	f, err := os.Open(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("--out %s: %w", dir, err)
	}
	if len(names) > 0 && !force {
		return usagef("--out %s is not empty: name an empty or new directory, or add --force to write over it", dir)
	}
	return nil
}

// readValues reads a values file: one YAML (or JSON) mapping.
func readValues(file string) (map[string]any, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--values: %w", err)
	}
	parsed := descriptor.Parse(data, descriptor.DefaultMaxBytes)
	bad := parsed.Findings
	for _, d := range parsed.Documents {
		bad = append(bad, d.Findings...)
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("--values %s:%d:%d: %s", file, bad[0].Line, bad[0].Column, bad[0].Message)
	}
	switch len(parsed.Documents) {
	case 0:
		return map[string]any{}, nil
	case 1:
		return parsed.Documents[0].Root.Interface().(map[string]any), nil
	}
	return nil, fmt.Errorf("--values %s: one YAML document of parameter values, found %d", file, len(parsed.Documents))
}

// writeTree writes a rendered tree under dir, inside it only.
func writeTree(dir string, t tree.Tree) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	defer root.Close()
	for _, p := range t.Paths() {
		if err := writeFile(root, p, t[p]); err != nil {
			return fmt.Errorf("write %s: %w", path.Join(dir, p), err)
		}
	}
	return nil
}

func writeFile(root *os.Root, p string, f tree.File) error {
	if d := path.Dir(p); d != "." {
		if err := root.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := root.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	switch f.Mode {
	case tree.Symlink:
		return root.Symlink(string(f.Data), p)
	case tree.Executable:
		return root.WriteFile(p, f.Data, 0o755)
	}
	return root.WriteFile(p, f.Data, 0o644)
}
