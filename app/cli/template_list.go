package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/portico-dev/portico/app/templating"
)

// TemplateListOptions are the flags of `portico template list`.
type TemplateListOptions struct {
	Templates string // platform configuration or templates folder; "" is the embedded defaults
	Format    string // text or json
}

func runTemplateListCmd(ctx context.Context, args []string, stdio IO) (int, error) {
	opts := TemplateListOptions{}
	fset := newFlagSet("template list", "template list [--templates DIR] [--format text|json]", stdio.Err)
	fset.StringVar(&opts.Templates, "templates", "", "platform configuration checkout (or its templates/ folder); default: the embedded templates")
	fset.StringVar(&opts.Format, "format", "text", "output format: text or json")
	rest, err := parseArgs(fset, args)
	if err != nil {
		return ExitUsage, err
	}
	if len(rest) > 0 {
		return ExitUsage, usagef("template list takes no arguments")
	}
	return RunTemplateList(ctx, opts, stdio)
}

// listedTemplate is one template in `template list --format json`.
type listedTemplate struct {
	Name        string `json:"name"`
	Version     string `json:"version"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Path        string `json:"path"`
}

// RunTemplateList prints the templates' names, versions and titles.
// Broken templates are reported on stderr with their file and line and
// make the exit code 1; no template at all is 3.
func RunTemplateList(_ context.Context, opts TemplateListOptions, stdio IO) (int, error) {
	if opts.Format != "text" && opts.Format != "json" {
		return ExitUsage, usagef("--format must be text or json, not %q", opts.Format)
	}
	src, err := openPlatform(opts.Templates)
	if err != nil {
		return ExitUsage, err
	}
	defer src.close()
	ts, broken := loadTemplates(src, stdio)
	list := make([]listedTemplate, 0, len(ts))
	for _, t := range ts {
		list = append(list, listedTemplate{Name: t.Name, Version: t.Version.String(), Title: t.Title, Description: t.Description, Path: t.Path})
	}
	if err := writeTemplateList(stdio.Out, opts.Format, list); err != nil {
		return ExitUsage, err
	}
	switch {
	case broken:
		return ExitFindings, nil
	case len(ts) == 0:
		fmt.Fprintf(stdio.Err, "portico: no template (templates/**/%s) in %s\n", templating.TemplateFile, src.name)
		return ExitNothing, nil
	}
	return ExitOK, nil
}

func writeTemplateList(w io.Writer, format string, list []listedTemplate) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	if len(list) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVERSION\tTITLE")
	for _, t := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Name, t.Version, t.Title)
	}
	return tw.Flush()
}
