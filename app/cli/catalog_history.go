package cli

import (
	"context"
	"fmt"

	"github.com/portico-dev/portico/app/catalog"
)

// CatalogLogOptions are the flags and arguments of `portico catalog log`.
type CatalogLogOptions struct {
	Central string // bare repository of the catalog
	Entity  string // entity reference, [kind:][namespace/]name
}

func runCatalogLogCmd(ctx context.Context, args []string, stdio IO) (int, error) {
	opts := CatalogLogOptions{}
	fs := newFlagSet("catalog log", "catalog log --central PATH ENTITYREF", stdio.Err)
	fs.StringVar(&opts.Central, "central", "", "bare git repository of the central catalog")
	rest, err := parseArgs(fs, args)
	if err != nil {
		return ExitUsage, err
	}
	if len(rest) != 1 {
		return ExitUsage, usagef("catalog log needs exactly one ENTITYREF")
	}
	opts.Entity = rest[0]
	return RunCatalogLog(ctx, opts, stdio)
}

// RunCatalogLog prints, newest first, the catalog commits that changed an
// entity: date, commit, + (added) ~ (changed) - (removed), and the sync
// message naming the source repository and commit. An entity the catalog
// never recorded is named on stderr, with exit code ExitFindings.
func RunCatalogLog(ctx context.Context, opts CatalogLogOptions, stdio IO) (int, error) {
	if opts.Central == "" {
		return ExitUsage, usagef("catalog log needs --central PATH")
	}
	refs, err := parseEntityRefs([]string{opts.Entity})
	if err != nil {
		return ExitUsage, err
	}
	entries, err := catalog.Log(ctx, opts.Central, refs[0])
	if err != nil {
		return ExitUsage, err
	}
	if len(entries) == 0 {
		fmt.Fprintf(stdio.Err, "portico: %s was never recorded in the catalog\n", refs[0])
		return ExitFindings, nil
	}
	for _, e := range entries {
		fmt.Fprintf(stdio.Out, "%s  %s  %s  %s\n", e.Date.UTC().Format("2006-01-02 15:04:05Z"), short(e.Commit), e.Change, e.Subject)
	}
	return ExitOK, nil
}

// CatalogDiffOptions are the flags and arguments of `portico catalog diff`.
type CatalogDiffOptions struct {
	Central  string // bare repository of the catalog
	From, To string // revisions; To "" is the catalog's tip
	NameOnly bool   // list the entities without their diffs
}

func runCatalogDiffCmd(ctx context.Context, args []string, stdio IO) (int, error) {
	opts := CatalogDiffOptions{}
	fs := newFlagSet("catalog diff", "catalog diff --central PATH REV [REV]   (the second REV defaults to the catalog's tip)", stdio.Err)
	fs.StringVar(&opts.Central, "central", "", "bare git repository of the central catalog")
	fs.BoolVar(&opts.NameOnly, "name-only", false, "list the entities only, without the diff of each file")
	revs, err := parseArgs(fs, args)
	if err != nil {
		return ExitUsage, err
	}
	if len(revs) < 1 || len(revs) > 2 {
		return ExitUsage, usagef("catalog diff needs one or two revisions")
	}
	opts.From = revs[0]
	if len(revs) == 2 {
		opts.To = revs[1]
	}
	return RunCatalogDiff(ctx, opts, stdio)
}

// RunCatalogDiff prints the entities added (+), changed (~) and removed
// (-) between two revisions of the catalog, then the unified diff of each.
func RunCatalogDiff(ctx context.Context, opts CatalogDiffOptions, stdio IO) (int, error) {
	if opts.Central == "" {
		return ExitUsage, usagef("catalog diff needs --central PATH")
	}
	to := opts.To
	if to == "" {
		to = catalog.Branch.String()
	}
	changes, err := catalog.Diff(ctx, opts.Central, opts.From, to)
	if err != nil {
		return ExitUsage, err
	}
	for _, c := range changes {
		fmt.Fprintf(stdio.Out, "%s %s\n", c.Change, c.Entity)
	}
	if opts.NameOnly {
		return ExitOK, nil
	}
	for _, c := range changes {
		fmt.Fprintf(stdio.Out, "\n%s", c.Patch)
	}
	return ExitOK, nil
}
