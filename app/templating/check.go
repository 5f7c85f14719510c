package templating

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/templating/render"
	"github.com/portico-dev/portico/app/tree"
)

// RuleRender marks a template that fails to render with its sample
// values: at the skeleton file and line the engine names, or at the
// template.yaml's step or parameters when the failure is theirs.
const RuleRender = "template/render"

// sampleMaxOutputBytes caps what one skeleton renders for a check: a
// golden path's skeleton is far smaller, and a check may render a pull
// request's templates.
const sampleMaxOutputBytes = 16 << 20

// Sample is a template rendered with its sample values (SampleValues),
// for checking what it would generate.
type Sample struct {
	Values map[string]any
	// Tree is every file rendered, by its path in the new repository.
	Tree tree.Tree
	// Files are the files of Tree that fetch:template steps rendered,
	// each traced to its skeleton file, in path order.
	Files []SampleFile
	// Failure is set when the template does not render; Tree and Files
	// are then empty.
	Failure *Finding
}

// SampleFile is one rendered file and the skeleton file it came from.
type SampleFile struct {
	Path   string // in the new repository
	Source string // the skeleton file, in the platform configuration
	Data   []byte
	lines  []int // lines[i]: the skeleton's line of rendered line i+1
}

// SourceLine maps a line of the rendered file to the skeleton's line it
// comes from (see lineMap); lines past either end map to the nearest.
func (f SampleFile) SourceLine(line int) int {
	if len(f.lines) == 0 {
		return 1
	}
	return f.lines[min(max(line, 1), len(f.lines))-1]
}

// RenderSample renders t with SampleValues from platform, as Render
// does but without provenance (portico's own annotations are not the
// template's to check), keeping for each file the skeleton file it was
// rendered from. Rendering is data processing only, bounded as every
// render is (render.DefaultMaxOutputBytes, ctx).
func (t *Template) RenderSample(ctx context.Context, platform fs.FS) *Sample {
	s := &Sample{}
	vals, err := t.Values(SampleValues(t))
	if err != nil {
		s.Failure = t.sampleFailure(t.pagesLine(), fmt.Errorf("sample values refused: %w; give the parameter a default or examples that its schema accepts", err))
		return s
	}
	s.Values = vals
	scope := map[string]any{
		"parameters": copyMap(vals),
		"user":       map[string]any{"ref": "user:default/example"},
		"steps":      map[string]any{},
		"secrets":    map[string]any{},
	}
	tr := &tracer{sources: map[string]string{}, data: map[string][]byte{}}
	out := tree.Tree{}
	for _, step := range t.Steps {
		if err := t.runStep(ctx, tr, platform, step, scope, out); err != nil {
			s.Failure = t.stepFailure(step, err)
			return s
		}
	}
	s.Tree = out
	s.Files = tr.files(platform, out)
	return s
}

func (t *Template) pagesLine() int {
	if len(t.Pages) > 0 {
		return t.Pages[0].Line
	}
	return t.nameLine
}

// stepFailure places a step's failure: at the skeleton file's line when
// a file failed, else at the step in template.yaml.
func (t *Template) stepFailure(step Step, err error) *Finding {
	var fe *render.FileError
	if errors.As(err, &fe) {
		return &Finding{File: fe.Path, Finding: descriptor.Finding{Severity: descriptor.SeverityError, Rule: RuleRender,
			Line: max(fe.Line, 1), Column: 1,
			Message: fmt.Sprintf("template %s does not render with sample values (step %s): %s", t.Name, step.label(), engineMessage(fe.Err))}}
	}
	msg := engineMessage(err)
	if !strings.HasPrefix(msg, "step ") {
		msg = fmt.Sprintf("step %s: %s", step.label(), msg)
	}
	return t.sampleFailure(step.Line, errors.New(msg))
}

func (t *Template) sampleFailure(line int, err error) *Finding {
	return &Finding{File: t.Path, Finding: descriptor.Finding{Severity: descriptor.SeverityError, Rule: RuleRender,
		Line: max(line, 1), Column: 1,
		Message: fmt.Sprintf("template %s does not render with sample values: %v", t.Name, err)}}
}

// SkeletonDirs are the folders of the platform configuration that t's
// fetch:template steps render, as far as their url is written without
// expressions, in step order.
func (t *Template) SkeletonDirs() []string {
	var out []string
	for _, s := range t.Steps {
		url, _ := s.Input["url"].(string)
		if s.Action != ActionFetchTemplate || strings.Contains(url, "${{") {
			continue
		}
		if dir, err := resolveURL(t.Dir, url); err == nil {
			out = append(out, dir)
		}
	}
	return out
}

// Holds reports whether the platform configuration's file p is in one
// of t's skeleton folders.
func (t *Template) Holds(p string) bool {
	for _, d := range t.SkeletonDirs() {
		if d == "." || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}

// tracer is the render engine, recording the skeleton file of every
// file that fetch:template renders. A later step's file replaces an
// earlier one's, so a source counts only while the tree holds its data.
type tracer struct {
	sources map[string]string
	data    map[string][]byte
}

func (*tracer) RenderValue(ctx context.Context, input any, scope map[string]any) (any, error) {
	return render.RenderValue(ctx, input, scope)
}

func (tr *tracer) RenderSkeleton(ctx context.Context, src fs.FS, dir string, values map[string]any, o SkeletonOptions) (tree.Tree, error) {
	out, sources, _, err := render.RenderSkeletonSources(ctx, src, dir, values, render.Options{
		Syntax:                render.Syntax{CookiecutterCompat: o.CookiecutterCompat, TrimBlocks: o.TrimBlocks, LStripBlocks: o.LStripBlocks},
		TargetPath:            o.TargetPath,
		CopyWithoutTemplating: o.CopyWithoutTemplating,
		CopyWithoutRender:     o.CopyWithoutRender,
		TemplateFileExtension: o.TemplateFileExtension,
		MaxOutputBytes:        sampleMaxOutputBytes,
	})
	if err != nil {
		return nil, err
	}
	for p, s := range sources {
		tr.sources[p] = s
		tr.data[p] = out[p].Data
	}
	return out, nil
}

// files lists the traced files still in out, with their line maps.
func (tr *tracer) files(platform fs.FS, out tree.Tree) []SampleFile {
	var files []SampleFile
	for p, src := range tr.sources {
		f, ok := out[p]
		if !ok || f.Mode == tree.Symlink || !bytes.Equal(f.Data, tr.data[p]) {
			continue
		}
		skel, err := fs.ReadFile(platform, src)
		if err != nil {
			continue
		}
		files = append(files, SampleFile{Path: p, Source: path.Clean(src), Data: f.Data, lines: lineMap(skel, f.Data)})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files
}

// engineMessage keeps the parts of a render error a template's author
// can act on: gonja chains the nodes it was evaluating (and portico's
// own wrapping filters) into its messages.
func engineMessage(err error) string {
	parts := strings.Split(err.Error(), ": ")
	kept := parts[:0]
	for _, p := range parts {
		switch {
		case strings.Contains(p, "__portico"), strings.Contains(p, "&{<Token"), strings.Contains(p, "_expression("),
			strings.HasPrefix(p, "render "), p == "unable to execute template", strings.HasPrefix(p, "Unable to render expression at line"):
			continue
		}
		kept = append(kept, p)
	}
	if len(kept) == 0 {
		return err.Error()
	}
	return strings.Join(kept, ": ")
}
