package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/facts"
	"github.com/portico-dev/portico/app/validate"
)

// CatalogSyncOptions are the flags and arguments of `portico catalog sync`.
type CatalogSyncOptions struct {
	Central  string   // bare repository of the catalog, created if missing
	Sources  []string // local git checkouts
	Globs    []string // extra descriptor file patterns
	MaxBytes int64
	// ScorecardsDir replaces the embedded default scorecards, as
	// `portico score --scorecards` does.
	ScorecardsDir string
}

const catalogUsage = `Usage:
  portico catalog sync --central PATH|OWNER/NAME [--scorecards DIR] SOURCE...
                                                   record the descriptors of local git checkouts, and their scores
  portico catalog graph --central PATH [--format text|mermaid|dot] ENTITYREF...
                                                   entities affected when these change
  portico catalog log --central PATH ENTITYREF     commits that changed an entity
  portico catalog diff --central PATH REV [REV]    entities added, changed, removed between revisions`

func runCatalogCmd(ctx context.Context, args []string, stdio IO) (int, error) {
	subs := map[string]func(context.Context, []string, IO) (int, error){
		"sync":  runCatalogSyncCmd,
		"graph": runCatalogGraphCmd,
		"log":   runCatalogLogCmd,
		"diff":  runCatalogDiffCmd,
	}
	if len(args) == 0 || subs[args[0]] == nil {
		fmt.Fprintln(stdio.Err, catalogUsage)
		if len(args) > 0 && isHelp(args[0]) {
			return ExitOK, nil
		}
		return ExitUsage, usagef("catalog: unknown or missing subcommand")
	}
	return subs[args[0]](ctx, args[1:], stdio)
}

func runCatalogSyncCmd(ctx context.Context, args []string, stdio IO) (int, error) {
	opts := CatalogSyncOptions{}
	fs := newFlagSet("catalog sync", "catalog sync --central PATH SOURCE...", stdio.Err)
	fs.StringVar(&opts.Central, "central", "", "the central catalog: a local bare repository (created if missing), owner/name on GitHub or a Git URL (pushed with GITHUB_TOKEN)")
	fs.Var((*listFlag)(&opts.Globs), "glob", "extra descriptor file pattern (repeatable), e.g. '*.entity.yaml'")
	fs.Int64Var(&opts.MaxBytes, "max-bytes", descriptor.DefaultMaxBytes, "refuse descriptor files larger than this")
	fs.StringVar(&opts.ScorecardsDir, "scorecards", "", "directory of Rego scorecards replacing the embedded defaults, for the scores recorded beside the entities")
	sources, err := parseArgs(fs, args)
	if err != nil {
		return ExitUsage, err
	}
	opts.Sources = sources
	return RunCatalogSync(ctx, opts, stdio)
}

// RunCatalogSync records the committed descriptors of each source into the
// central repository, each entity's scores beside it (judged on the
// checkout's facts and the catalog's groups, as `portico score --catalog`
// judges them), and prints what each sync did. It returns
// ExitFindings when an entity was left out (conflict or invalid). A
// checkout with uncommitted changes to descriptors is synced at its
// commit, with a warning on stderr naming the files left out: the
// catalog records commits, and the exit code says what was recorded.
func RunCatalogSync(ctx context.Context, opts CatalogSyncOptions, stdio IO) (int, error) {
	if opts.Central == "" || len(opts.Sources) == 0 {
		return ExitUsage, usagef("catalog sync needs --central PATH and at least one SOURCE")
	}
	m, err := validate.NewMatcher(opts.Globs)
	if err != nil {
		return ExitUsage, usagef("%v", err)
	}
	cards, err := loadScorecards(ctx, opts.ScorecardsDir, stdio.Getenv)
	if err != nil {
		return ExitUsage, err
	}
	store, repoPath, done, err := openCentral(ctx, opts.Central, stdio.Getenv, locationHosts(stdio.Getenv))
	if err != nil {
		return ExitUsage, err
	}
	defer done()
	sc := &syncScorer{cards: cards, facts: facts.NewCheckout(), groups: catalog.NewLoader(), central: repoPath, stderr: stdio.Err}
	code := ExitOK
	for _, dir := range opts.Sources {
		src, err := catalog.ReadCheckout(ctx, dir, m.Match, opts.MaxBytes)
		if err != nil {
			return ExitUsage, err
		}
		if err := sc.score(ctx, dir, &src); err != nil {
			return ExitUsage, err
		}
		res, err := store.Sync(ctx, src)
		if err != nil {
			return ExitUsage, err
		}
		printSync(stdio.Out, src, res)
		warnUncommitted(stdio.Err, dir, src, m.Match)
		if res.Failed() {
			code = ExitFindings
		}
	}
	return code, nil
}

// openCentral opens the central catalog that --central names: a local
// bare repository (created if missing), or owner/name on GitHub or a Git
// URL, then mirrored in a temporary repository for the run, fetched
// first and pushed after each sync (retried when another writer moved
// the branch), with GITHUB_TOKEN. It returns the path of the local
// repository too, to read the catalog from.
func openCentral(ctx context.Context, central string, getenv func(string) string, opts ...catalog.Option) (*catalog.Store, string, func(), error) {
	u, auth, ok := remoteCatalog(central, getenv)
	if !ok {
		s, err := catalog.Open(central, opts...)
		return s, central, func() {}, err
	}
	dir, err := os.MkdirTemp("", "portico-central-")
	if err != nil {
		return nil, "", nil, err
	}
	repoPath := filepath.Join(dir, "catalog.git")
	remote := catalog.Remote{URL: u, Auth: func(context.Context) (transport.AuthMethod, error) { return auth, nil }}
	s, err := catalog.Open(repoPath, append(opts, catalog.WithRemote(remote))...)
	if err == nil {
		err = s.Refresh(ctx)
	}
	done := func() {
		if s != nil {
			s.Wait()
		}
		os.RemoveAll(dir)
	}
	if err != nil {
		done()
		return nil, "", nil, err
	}
	return s, repoPath, done, nil
}

func printSync(w io.Writer, src catalog.Source, res catalog.Result) {
	at := src.Repo + "@" + short(src.Commit)
	if res.Commit == "" {
		fmt.Fprintf(w, "%s: no change\n", at)
	} else {
		fmt.Fprintf(w, "%s: committed %s (%s)\n", at, short(res.Commit), res.Summary())
	}
	for _, c := range res.Conflicts {
		fmt.Fprintf(w, "  conflict: %s in %s is already recorded from %s\n", c.Entity, c.SourcePath, c.Owner)
	}
	for _, inv := range res.Invalid {
		name := inv.Entity
		if name == "" {
			name = "(unnamed)"
		}
		for _, f := range inv.Findings {
			fmt.Fprintf(w, "  invalid: %s:%d:%d %s: %s [%s]\n", inv.SourcePath, f.Line, f.Column, name, f.Message, f.Rule)
		}
	}
}

// maxListed is how many uncommitted files the warning names.
const maxListed = 10

// warnUncommitted says which descriptor files of the checkout differ
// from the commit that was synced, so a user who edited and forgot to
// commit is not told the sync succeeded without a word.
func warnUncommitted(w io.Writer, dir string, src catalog.Source, match func(string) bool) {
	files, err := catalog.Uncommitted(dir, match)
	if err != nil {
		fmt.Fprintf(w, "portico: warning: %v\n", err)
		return
	}
	if len(files) == 0 {
		return
	}
	more := ""
	if len(files) > maxListed {
		more = fmt.Sprintf(" and %d more", len(files)-maxListed)
		files = files[:maxListed]
	}
	fmt.Fprintf(w, "portico: warning: %s has uncommitted changes to %s%s; they are not synced: the catalog records commit %s (commit them and sync again)\n",
		dir, strings.Join(files, ", "), more, short(src.Commit))
}

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}
