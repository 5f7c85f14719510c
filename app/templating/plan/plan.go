package plan

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/portico-dev/portico/app/templating"
	"github.com/portico-dev/portico/app/templating/merge"
	"github.com/portico-dev/portico/app/tree"
)

// Side is a template as read from the platform configuration at one
// commit.
type Side struct {
	Template *templating.Template
	FS       fs.FS  // the platform configuration it was loaded from
	Commit   string // that configuration's commit, "" when unknown
}

// Files reads a repository's files at the given paths; paths the
// repository does not hold are left out of the tree.
type Files interface {
	Files(ctx context.Context, paths []string) (tree.Tree, error)
}

// TreeFiles serves Files from a tree already in memory.
type TreeFiles tree.Tree

// Files implements Files.
func (t TreeFiles) Files(_ context.Context, paths []string) (tree.Tree, error) {
	out := tree.Tree{}
	for _, p := range paths {
		if f, ok := t[p]; ok {
			out[p] = f
		}
	}
	return out, nil
}

// Input is one repository to plan: its answers, the template at the
// answers' version and commit, the template to move to, and the
// repository's files.
type Input struct {
	Answers *templating.Answers
	Base    Side
	Target  Side
	Ours    Files
}

// Plan is a repository's planned upgrade.
type Plan struct {
	Template string
	From, To string
	// Merge is the merged tree (of the paths the renders hold) and every
	// path's outcome; the answers file is reported as updated.
	Merge merge.Result
	// Files are the files to write: added, updated and conflicted ones
	// (with inline markers), and the answers file at the new version.
	Files tree.Tree
	// Deleted are the paths the upgrade deletes, sorted.
	Deleted []string
	// Answers is the answers file the repository holds after the upgrade.
	Answers *templating.Answers
}

// Clean reports whether the upgrade merged without conflict.
func (p *Plan) Clean() bool { return p.Merge.Clean() }

// ErrCurrent is returned when the repository is already at the target
// version or newer: there is nothing to upgrade.
var ErrCurrent = errors.New("already at the template's version")

// Upgrade plans the upgrade of one repository from in.Base to in.Target.
// A required parameter new in the target without a default stops it with
// the template's *templating.MissingParametersError; a base that no
// longer renders (a platform commit rewritten away, say) is an error that
// says so.
func Upgrade(ctx context.Context, in Input) (*Plan, error) {
	if err := check(in); err != nil {
		return nil, err
	}
	values := withSecretPlaceholders(in.Answers.Values, in.Base.Template, in.Target.Template)
	base, err := in.Base.Template.Render(ctx, in.Base.FS, values, templating.Provenance{Commit: in.Answers.PlatformCommit})
	if err != nil {
		return nil, fmt.Errorf("render %s %s, the repository's version: %w", in.Answers.Template, in.Answers.Version, err)
	}
	theirs, err := in.Target.Template.Render(ctx, in.Target.FS, values, templating.Provenance{Commit: in.Target.Commit})
	if err != nil {
		return nil, fmt.Errorf("render %s %s: %w", in.Target.Template.Name, in.Target.Template.Version, err)
	}
	ours, err := in.Ours.Files(ctx, unionPaths(base, theirs))
	if err != nil {
		return nil, fmt.Errorf("read the repository's files: %w", err)
	}
	return assemble(in, base, ours, theirs)
}

func check(in Input) error {
	switch {
	case in.Answers == nil:
		return errors.New("upgrade: no answers")
	case in.Base.Template == nil || in.Target.Template == nil:
		return errors.New("upgrade: no template")
	case in.Ours == nil:
		return errors.New("upgrade: no repository files")
	case in.Target.Template.Name != in.Answers.Template:
		return fmt.Errorf("upgrade: the repository was generated from %q, not %q", in.Answers.Template, in.Target.Template.Name)
	case in.Base.Template.Name != in.Answers.Template:
		return fmt.Errorf("upgrade: the base template is %q, not %q", in.Base.Template.Name, in.Answers.Template)
	}
	from, err := semver.StrictNewVersion(in.Answers.Version)
	if err != nil {
		return fmt.Errorf("upgrade: answers version: %w", err)
	}
	if !in.Target.Template.Version.GreaterThan(from) {
		return fmt.Errorf("%w (%s %s, the template is at %s)", ErrCurrent, in.Answers.Template, from, in.Target.Template.Version)
	}
	return nil
}

func assemble(in Input, base, ours, theirs tree.Tree) (*Plan, error) {
	from, to := in.Answers.Version, in.Target.Template.Version.String()
	res := merge.Trees(base, ours, theirs, merge.Labels{
		Ours: "repository", Base: "template " + from, Theirs: "template " + to})
	answers, err := templating.ParseAnswers(theirs[templating.AnswersPath].Data)
	if err != nil {
		return nil, fmt.Errorf("upgrade: the rendered answers: %w", err)
	}
	res.Tree[templating.AnswersPath] = theirs[templating.AnswersPath]
	setReport(&res, merge.FileReport{Path: templating.AnswersPath, Outcome: merge.Updated,
		Reason: "the answers move to " + to})
	p := &Plan{Template: in.Answers.Template, From: from, To: to, Merge: res, Files: tree.Tree{}, Answers: answers}
	for path, f := range res.Tree {
		if old, ok := ours[path]; !ok || !old.Equal(f) {
			p.Files[path] = f
		}
	}
	for path := range ours {
		if _, ok := res.Tree[path]; !ok {
			p.Deleted = append(p.Deleted, path)
		}
	}
	slices.Sort(p.Deleted)
	return p, nil
}

// setReport replaces (or adds, in path order) one path's report.
func setReport(r *merge.Result, rep merge.FileReport) {
	i, found := slices.BinarySearchFunc(r.Files, rep.Path, func(f merge.FileReport, p string) int {
		return strings.Compare(f.Path, p)
	})
	if found {
		r.Files[i] = rep
		return
	}
	r.Files = slices.Insert(r.Files, i, rep)
}

func unionPaths(a, b tree.Tree) []string {
	seen := make(map[string]bool, len(a)+len(b))
	for p := range a {
		seen[p] = true
	}
	for p := range b {
		seen[p] = true
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}
