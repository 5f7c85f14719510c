package plan

import (
	"context"
	"fmt"
	"slices"

	"github.com/portico-dev/portico/app/templating"
	"github.com/portico-dev/portico/app/tree"
)

// Drift is how far a repository has moved from what its template rendered
// at its recorded version: of the Total files the render holds (the answers
// file aside), Unchanged are still byte for byte in the repository.
type Drift struct {
	Unchanged, Total int
	// Changed and Missing name the rendered files the repository edited
	// and deleted, sorted.
	Changed, Missing []string
}

// Share is the fraction of the rendered files still unchanged, 1 when
// the render holds none.
func (d Drift) Share() float64 {
	if d.Total == 0 {
		return 1
	}
	return float64(d.Unchanged) / float64(d.Total)
}

// Measure renders base with the repository's answers and compares the
// result with the repository's files.
func Measure(ctx context.Context, answers *templating.Answers, base Side, ours Files) (Drift, error) {
	if answers == nil || base.Template == nil || ours == nil {
		return Drift{}, fmt.Errorf("drift: missing answers, template or files")
	}
	values := withSecretPlaceholders(answers.Values, base.Template)
	rendered, err := base.Template.Render(ctx, base.FS, values, templating.Provenance{Commit: answers.PlatformCommit})
	if err != nil {
		return Drift{}, fmt.Errorf("render %s %s, the repository's version: %w", answers.Template, answers.Version, err)
	}
	delete(rendered, templating.AnswersPath)
	paths := rendered.Paths()
	files, err := ours.Files(ctx, paths)
	if err != nil {
		return Drift{}, fmt.Errorf("read the repository's files: %w", err)
	}
	return compare(rendered, files, paths), nil
}

func compare(rendered, files tree.Tree, paths []string) Drift {
	d := Drift{Total: len(paths)}
	for _, p := range paths {
		f, ok := files[p]
		switch {
		case !ok:
			d.Missing = append(d.Missing, p)
		case f.Equal(rendered[p]):
			d.Unchanged++
		default:
			d.Changed = append(d.Changed, p)
		}
	}
	slices.Sort(d.Changed)
	slices.Sort(d.Missing)
	return d
}
