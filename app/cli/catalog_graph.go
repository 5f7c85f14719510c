package cli

import (
	"context"
	"fmt"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/descriptor"
)

// CatalogGraphOptions are the flags and arguments of `portico catalog graph`.
type CatalogGraphOptions struct {
	Central  string   // bare repository of the catalog
	Rev      string   // revision of the catalog; "" is its tip
	Format   string   // text, mermaid or dot
	Entities []string // entity references, [kind:][namespace/]name (kind Component by default)
}

func runCatalogGraphCmd(ctx context.Context, args []string, stdio IO) (int, error) {
	opts := CatalogGraphOptions{}
	fs := newFlagSet("catalog graph", "catalog graph --central PATH [--format text|mermaid|dot] ENTITYREF...", stdio.Err)
	fs.StringVar(&opts.Central, "central", "", "bare git repository of the central catalog")
	fs.StringVar(&opts.Rev, "rev", "", "revision of the catalog (default: its tip)")
	fs.StringVar(&opts.Format, "format", catalog.FormatText, "output format: text, mermaid or dot")
	refs, err := parseArgs(fs, args)
	if err != nil {
		return ExitUsage, err
	}
	opts.Entities = refs
	return RunCatalogGraph(ctx, opts, stdio)
}

// RunCatalogGraph prints the entities affected when the given ones change,
// as a tree, a Mermaid flowchart or a Graphviz graph. An entity that is
// not in the catalog is named on stderr and makes the exit code
// ExitFindings: the graph of the others is still printed.
func RunCatalogGraph(ctx context.Context, opts CatalogGraphOptions, stdio IO) (int, error) {
	if opts.Central == "" || len(opts.Entities) == 0 {
		return ExitUsage, usagef("catalog graph needs --central PATH and at least one ENTITYREF")
	}
	refs, err := parseEntityRefs(opts.Entities)
	if err != nil {
		return ExitUsage, err
	}
	cat, err := catalog.Load(ctx, opts.Central, opts.Rev)
	if err != nil {
		return ExitUsage, err
	}
	out, err := cat.Graph(refs...).Render(opts.Format)
	if err != nil {
		return ExitUsage, usagef("%v", err)
	}
	code := ExitOK
	for _, r := range refs {
		if !cat.Has(r) {
			fmt.Fprintf(stdio.Err, "portico: %s is not in the catalog\n", r)
			code = ExitFindings
		}
	}
	_, err = fmt.Fprint(stdio.Out, out)
	return code, err
}

// parseEntityRefs reads entity references typed on the command line; a
// reference without a kind names a Component.
func parseEntityRefs(args []string) ([]descriptor.Ref, error) {
	refs := make([]descriptor.Ref, 0, len(args))
	for _, a := range args {
		r, err := descriptor.ParseRef(a, "Component", descriptor.DefaultNamespace)
		if err != nil {
			return nil, usagef("%v", err)
		}
		refs = append(refs, r)
	}
	return refs, nil
}
