package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/scorereport"
)

// ScoreReportOptions are the flags of `portico score report`.
type ScoreReportOptions struct {
	Catalog string // central catalog: local repository, owner/name or Git URL
	Format  string
	Output  string
}

// scoresRoot is where the central catalog records each entity's scores,
// scorecards/<namespace>/<kind>/<name>.json beside catalog/.../<name>.yaml.
const scoresRoot = "scorecards"

// maxScoreFile bounds one score file: a file past it is reported, not read.
const maxScoreFile = 4 << 20

func runScoreReportCmd(ctx context.Context, args []string, stdio IO) (int, error) {
	opts := ScoreReportOptions{}
	fs := newFlagSet("score report", "score report --catalog SRC [--format text|json|markdown|html]", stdio.Err)
	fs.StringVar(&opts.Catalog, "catalog", "", "central catalog (local repository, owner/name or Git URL) whose scorecards/ to read")
	fs.StringVar(&opts.Format, "format", "text", "output format: "+strings.Join(scorereport.OrgFormats, ", "))
	fs.StringVar(&opts.Output, "output", "", "write the report to this file instead of standard output")
	rest, err := parseArgs(fs, args)
	if err != nil {
		return ExitUsage, err
	}
	if len(rest) > 0 {
		return ExitUsage, usagef("score report takes no arguments, got %q", rest)
	}
	return RunScoreReport(ctx, opts, stdio)
}

// RunScoreReport prints the organisation's scorecard table from the
// score files at the tip of the central catalog. A score file that cannot
// be read is named on stderr and in the report, the rest are counted, and
// the exit code is ExitUsage: the table is incomplete.
func RunScoreReport(ctx context.Context, opts ScoreReportOptions, stdio IO) (int, error) {
	if !slices.Contains(scorereport.OrgFormats, opts.Format) {
		return ExitUsage, usagef("--format must be one of %s, not %q", strings.Join(scorereport.OrgFormats, ", "), opts.Format)
	}
	if opts.Catalog == "" {
		return ExitUsage, usagef("score report needs --catalog")
	}
	tree, commit, err := catalogTip(ctx, opts.Catalog, stdio.Getenv)
	if err != nil {
		return ExitUsage, err
	}
	recs, problems, err := readScoreFiles(ctx, tree)
	if err != nil {
		return ExitUsage, err
	}
	for _, p := range problems {
		fmt.Fprintf(stdio.Err, "portico: %s: %v (not counted)\n", p.Path, p.Err)
	}
	out, closeOut, err := openOutput(opts.Output, stdio.Out)
	if err != nil {
		return ExitUsage, err
	}
	err = scorereport.WriteOrg(out, opts.Format, scorereport.SummarizeOrg(commit, recs, problems))
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil || len(problems) > 0 {
		return ExitUsage, err
	}
	return ExitOK, nil
}

// catalogTip opens the central catalog src as --catalog names it
// elsewhere and returns the tree at the tip of its main branch, nil for
// an empty repository. A remote one is fetched into memory, that commit
// only.
func catalogTip(ctx context.Context, src string, getenv func(string) string) (*object.Tree, string, error) {
	var repo *git.Repository
	var err error
	if u, auth, ok := remoteCatalog(src, getenv); ok {
		repo, err = git.CloneContext(ctx, memory.NewStorage(), nil, &git.CloneOptions{
			URL: u, Auth: auth, ReferenceName: catalog.Branch, SingleBranch: true, Depth: 1, NoCheckout: true, Tags: git.NoTags,
		})
	} else {
		repo, err = git.PlainOpen(src)
	}
	if err != nil {
		return nil, "", fmt.Errorf("open central catalog %s: %w", src, err)
	}
	ref, err := repo.Reference(catalog.Branch, true)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("read %s of %s: %w", catalog.Branch, src, err)
	}
	c, err := repo.CommitObject(ref.Hash())
	if err != nil {
		return nil, "", fmt.Errorf("read commit %s: %w", ref.Hash(), err)
	}
	tree, err := c.Tree()
	if err != nil {
		return nil, "", fmt.Errorf("read tree of %s: %w", c.Hash, err)
	}
	return tree, c.Hash.String(), nil
}

// readScoreFiles reads every scorecards/**/*.json of tree with its
// entity's owner. Files that do not parse are problems, not errors.
func readScoreFiles(ctx context.Context, tree *object.Tree) ([]scorereport.Recorded, []scorereport.Problem, error) {
	if tree == nil {
		return nil, nil, nil
	}
	sub, err := tree.Tree(scoresRoot)
	if errors.Is(err, object.ErrDirectoryNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read %s/: %w", scoresRoot, err)
	}
	var recs []scorereport.Recorded
	var problems []scorereport.Problem
	w := object.NewTreeWalker(sub, true, nil)
	defer w.Close()
	for {
		name, e, err := w.Next()
		if errors.Is(err, io.EOF) {
			return recs, problems, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("list %s/: %w", scoresRoot, err)
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if e.Mode != filemode.Regular || !strings.HasSuffix(name, ".json") {
			continue
		}
		p := scoresRoot + "/" + name
		rec, err := readScoreFile(tree, p)
		if err != nil {
			problems = append(problems, scorereport.Problem{Path: p, Err: err})
			continue
		}
		recs = append(recs, rec)
	}
}

func readScoreFile(tree *object.Tree, p string) (scorereport.Recorded, error) {
	data, err := blobText(tree, p)
	if err != nil {
		return scorereport.Recorded{}, err
	}
	rec, err := scorereport.ParseRecorded(data)
	if err != nil {
		return scorereport.Recorded{}, err
	}
	rec.Owner = ownerOf(tree, catalog.Root+"/"+strings.TrimSuffix(strings.TrimPrefix(p, scoresRoot+"/"), ".json")+".yaml")
	return rec, nil
}

func blobText(tree *object.Tree, p string) ([]byte, error) {
	f, err := tree.File(p)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	if f.Size > maxScoreFile {
		return nil, fmt.Errorf("%d bytes, more than the %d a score file may have", f.Size, maxScoreFile)
	}
	r, err := f.Reader()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return data, nil
}

// ownerOf is spec.owner of the entity file at p, as a reference; "" when
// the entity is gone or names no owner, so its scores still count.
func ownerOf(tree *object.Tree, p string) string {
	data, err := blobText(tree, p)
	if err != nil {
		return ""
	}
	f := descriptor.Parse(data, int64(len(data))+1)
	if len(f.Documents) == 0 || f.Documents[0].Root == nil {
		return ""
	}
	for _, r := range descriptor.References(f.Documents[0]) {
		if r.Field == "spec.owner" {
			return r.Ref.String()
		}
	}
	return ""
}
