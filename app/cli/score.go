package cli

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/facts"
	"github.com/portico-dev/portico/app/scorecard"
	"github.com/portico-dev/portico/app/scorereport"
	"github.com/portico-dev/portico/app/validate"
	"github.com/portico-dev/portico/policies"
)

// ScoreOptions are the flags and arguments of `portico score`.
type ScoreOptions struct {
	Paths         []string
	Format        string
	ScorecardsDir string // replaces the embedded default scorecards
	FailBelow     string // LEVEL or SCORECARD:LEVEL
	Globs         []string
	MaxBytes      int64
	Workers       int
	Output        string
	Levels        string // also write each entity's level per scorecard here, as JSON
	Catalog       string // central catalog: bare owner names must be its groups
}

func runScoreCmd(ctx context.Context, args []string, stdio IO) (int, error) {
	if len(args) > 0 && args[0] == "report" {
		return runScoreReportCmd(ctx, args[1:], stdio) // a directory named report is ./report
	}
	opts := ScoreOptions{}
	fs := newFlagSet("score", "score [flags] [PATH...]   (files, directories, - for stdin; default .)\n       portico score report --catalog SRC [--format text|json|markdown|html]", stdio.Err)
	fs.StringVar(&opts.Format, "format", "text", "output format: "+strings.Join(scorereport.Formats, ", "))
	fs.StringVar(&opts.ScorecardsDir, "scorecards", "", "directory of Rego scorecards replacing the embedded defaults")
	fs.StringVar(&opts.FailBelow, "fail-below", "", "exit 1 when an entity is below LEVEL (or SCORECARD:LEVEL) on a scorecard that has that level")
	fs.Var((*listFlag)(&opts.Globs), "glob", "extra file pattern to pick up in directories (repeatable)")
	fs.Int64Var(&opts.MaxBytes, "max-bytes", descriptor.DefaultMaxBytes, "refuse descriptor files larger than this")
	fs.IntVar(&opts.Workers, "workers", 0, "files scored in parallel (default: number of CPUs)")
	fs.StringVar(&opts.Output, "output", "", "write the report to this file instead of standard output")
	fs.StringVar(&opts.Levels, "levels", "", "also write each entity's level per scorecard to this file, as one line of JSON (the Action's levels output)")
	fs.StringVar(&opts.Catalog, "catalog", "", "central catalog (local repository, owner/name or Git URL): a bare owner name counts as a group only when it is one of its groups")
	paths, err := parseArgs(fs, args)
	if err != nil {
		return ExitUsage, err
	}
	opts.Paths = paths
	return RunScore(ctx, opts, stdio)
}

// RunScore scores the entities declared in the descriptors named by opts
// and writes the report. It returns ExitFindings when --fail-below finds
// an entity below its level, and ExitUsage when a file or a scorecard
// could not be read or evaluated (the report still shows the rest).
func RunScore(ctx context.Context, opts ScoreOptions, stdio IO) (int, error) {
	if !slices.Contains(scorereport.Formats, opts.Format) {
		return ExitUsage, usagef("--format must be one of %s, not %q", strings.Join(scorereport.Formats, ", "), opts.Format)
	}
	eng, err := loadScorecards(ctx, opts.ScorecardsDir, stdio.Getenv)
	if err != nil {
		return ExitUsage, err
	}
	gate, err := parseFailBelow(opts.FailBelow, eng.Scorecards())
	if err != nil {
		return ExitUsage, err
	}
	if len(opts.Paths) == 0 {
		opts.Paths = []string{"."}
	}
	groups, err := catalogGroups(ctx, opts.Catalog, stdio.Getenv)
	if err != nil {
		return ExitUsage, err
	}
	s := &scorer{engine: eng, facts: facts.NewCheckout(), groups: groups, opts: opts, stdin: stdio.In, stderr: stdio.Err}
	entities, ioErrors, err := s.run(ctx)
	if err != nil {
		return ExitUsage, err
	}
	out, closeOut, err := openOutput(opts.Output, stdio.Out)
	if err != nil {
		return ExitUsage, err
	}
	err = scorereport.Write(out, opts.Format, entities)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err == nil && opts.Levels != "" {
		err = writeLevels(opts.Levels, entities)
	}
	if err != nil {
		return ExitUsage, err
	}
	switch {
	case ioErrors > 0 || scorereport.Summarize(entities).Errors > 0:
		return ExitUsage, nil
	case gate.below(entities):
		return ExitFindings, nil
	}
	return ExitOK, nil
}

func writeLevels(path string, entities []scorereport.Entity) error {
	out, closeOut, err := openOutput(path, nil)
	if err != nil {
		return err
	}
	err = scorereport.WriteLevels(out, entities)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write levels: %w", err)
	}
	return nil
}

// loadScorecards compiles the scorecards of dir, or the embedded ones,
// with the policies' sandbox and time bound (PORTICO_POLICY_ALLOW_BUILTINS,
// PORTICO_POLICY_EVAL_TIMEOUT).
func loadScorecards(ctx context.Context, dir string, getenv func(string) string) (*scorecard.Engine, error) {
	settings, err := config.PolicyFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	var fsys fs.FS = policies.ScorecardsFS
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("load scorecards: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("load scorecards: %s is not a directory", dir)
		}
		fsys = os.DirFS(dir)
	}
	return scorecard.New(ctx, fsys, scorecard.WithAllowedBuiltins(settings.AllowBuiltins...), scorecard.WithEvalTimeout(settings.EvalTimeout))
}

// catalogGroups reads the groups of the central catalog src, or nil
// with none: scorecards then take a bare owner name for a group.
func catalogGroups(ctx context.Context, src string, getenv func(string) string) (*scorecard.Catalog, error) {
	if src == "" {
		return nil, nil
	}
	cat, err := loadCatalog(ctx, src, getenv)
	if err != nil {
		return nil, err
	}
	var groups []descriptor.Ref
	for _, r := range cat.Refs() {
		if strings.EqualFold(r.Kind, "group") {
			groups = append(groups, r)
		}
	}
	return scorecard.NewCatalog(groups), nil
}

// failGate is --fail-below: a level per scorecard that declares it.
type failGate map[string]string // scorecard id -> level

// parseFailBelow reads LEVEL (every scorecard that has that level) or
// SCORECARD:LEVEL.
func parseFailBelow(s string, cards []scorecard.Scorecard) (failGate, error) {
	gate := failGate{}
	if s == "" {
		return gate, nil
	}
	id, level, scoped := strings.Cut(s, ":")
	if !scoped {
		id, level = "", s
	}
	for _, c := range cards {
		if slices.Contains(c.Levels, level) && (id == "" || id == c.ID) {
			gate[c.ID] = level
		}
	}
	if len(gate) == 0 {
		return nil, usagef("--fail-below %q: no scorecard has that level", s)
	}
	return gate, nil
}

// below reports whether an entity's level is under the gate on a
// scorecard the gate names.
func (g failGate) below(entities []scorereport.Entity) bool {
	for _, e := range entities {
		for _, r := range e.Scorecards {
			if level, ok := g[r.ID]; ok && r.Below(level) {
				return true
			}
		}
	}
	return false
}

// scorer scores the files of one run.
type scorer struct {
	engine *scorecard.Engine
	facts  *facts.Checkout
	groups *scorecard.Catalog // nil without --catalog
	opts   ScoreOptions
	stdin  io.Reader
	stderr io.Writer
	mu     sync.Mutex // guards stderr and warned
	warned map[string]bool
}

// run lists the files as validate does, scores them in parallel and
// returns their entities in input order, with how many files could not
// be read.
func (s *scorer) run(ctx context.Context) ([]scorereport.Entity, int, error) {
	var paths []string
	var walkErrs []error
	err := validate.Walk(ctx, s.opts.Paths, s.opts.Globs, func(p string, err error) error {
		paths = append(paths, p)
		walkErrs = append(walkErrs, err)
		return nil
	})
	if err != nil {
		return nil, 0, usagef("%v", err)
	}
	perFile := make([][]scorereport.Entity, len(paths))
	failed := 0
	var mu sync.Mutex
	forEach(len(paths), s.opts.Workers, func(i int) {
		entities, ok := s.file(ctx, paths[i], walkErrs[i])
		perFile[i] = entities
		if !ok {
			mu.Lock()
			failed++
			mu.Unlock()
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	return slices.Concat(perFile...), failed, nil
}

// forEach calls fn(0..n-1) on workers goroutines (default GOMAXPROCS).
func forEach(n, workers int, fn func(i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// file scores the entities of one descriptor file; ok is false for a
// file that could not be read.
func (s *scorer) file(ctx context.Context, path string, walkErr error) (_ []scorereport.Entity, ok bool) {
	err := walkErr
	var content []byte
	if err == nil {
		content, err = validate.ReadFile(path, s.stdin, s.opts.MaxBytes)
	}
	if err != nil {
		s.warn(path, fmt.Sprintf("%s: %v", path, err))
		return nil, false
	}
	repo := scorecard.NewRepo(s.repoFacts(ctx, path))
	shown := strings.TrimPrefix(strings.ReplaceAll(path, string(os.PathSeparator), "/"), "./")
	var out []scorereport.Entity
	for _, d := range descriptor.Parse(content, s.opts.MaxBytes).Documents {
		if d.Root == nil || d.Kind() == "" || d.Name() == "" {
			continue
		}
		results, err := s.engine.Score(ctx, scorecard.Input{Entity: d, Repo: repo, Catalog: s.groups})
		if err != nil {
			return out, true // cancelled: run reports it
		}
		ref := descriptor.Ref{Kind: d.Kind(), Namespace: d.Namespace(), Name: d.Name()}
		out = append(out, scorereport.Entity{Ref: ref.String(), Path: shown, Line: d.Line, Scorecards: results})
	}
	return out, true
}

// repoFacts gathers the facts of the repository holding path, warning
// once per repository about what could not be read.
func (s *scorer) repoFacts(ctx context.Context, path string) facts.Repository {
	if path == validate.StdinPath {
		return facts.Nothing("standard input")
	}
	r, err := s.facts.Facts(ctx, path)
	if err != nil {
		s.warn(r.Name, fmt.Sprintf("%v (rules that need it are not judged)", err))
	}
	return r
}

func (s *scorer) warn(key, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.warned == nil {
		s.warned = map[string]bool{}
	}
	if !s.warned[key] {
		s.warned[key] = true
		fmt.Fprintf(s.stderr, "portico: %s\n", msg)
	}
}
