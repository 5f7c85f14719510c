package validate

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/report"
	"github.com/portico-dev/portico/app/templating"
	"github.com/portico-dev/portico/app/tree"
)

// CheckSample checks what the skeleton file src (a path of the platform
// configuration) becomes in a template's sample render, shown as path:
// every file rendered from it is checked as a descriptor, with the
// rendered repository as the tree its placeholders read, and each
// finding is placed at the skeleton's line (SampleFile.SourceLine). A
// render failure in src is an error finding at its line. Sample values
// name no real entity, so references are not checked. It returns nil
// when the sample neither rendered src nor failed in it (a step whose if
// is false, a name that renders empty).
func (c *Checker) CheckSample(ctx context.Context, path, src string, s *templating.Sample) *report.File {
	if s.Failure != nil {
		if s.Failure.File != src {
			return nil
		}
		return RenderFailure(path, s.Failure)
	}
	cc := *c
	cc.refs, cc.tree = nil, nil
	files := treeFiles(s.Tree)
	var out *report.File
	for _, f := range s.Files {
		if f.Source != src {
			continue
		}
		checked, err := cc.CheckIn(ctx, f.Path, f.Data, files)
		if err != nil {
			checked = fileFailure(f.Path, RuleRead, err.Error())
		}
		atSkeleton(checked, f)
		if out == nil {
			out = &report.File{Path: path}
		}
		out.Documents = append(out.Documents, checked.Documents...)
	}
	return out
}

// RenderFailure is the report of a template's render failure, for the
// file shown as path.
func RenderFailure(path string, f *templating.Finding) *report.File {
	return &report.File{Path: path, Documents: []report.Document{fileDocument([]descriptor.Finding{f.Finding})}}
}

// atSkeleton moves a rendered file's findings to the skeleton's lines
// and says in each message which rendered file they are about.
func atSkeleton(r *report.File, f templating.SampleFile) {
	for i := range r.Documents {
		d := &r.Documents[i]
		d.Line = f.SourceLine(d.Line)
		for j := range d.Findings {
			fd := &d.Findings[j]
			fd.Line = f.SourceLine(fd.Line)
			fd.Message = fmt.Sprintf("%s (in %s as rendered with sample values)", fd.Message, f.Path)
		}
	}
}

// treeFiles are a rendered tree's files as placeholders read them.
type treeFiles tree.Tree

func (t treeFiles) ReadFile(ctx context.Context, name string, max int64) ([]byte, int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	f, ok := t[name]
	switch {
	case !ok:
		return nil, 0, fmt.Errorf("%w: %s", fs.ErrNotExist, name)
	case f.Mode == tree.Symlink:
		return nil, 0, fmt.Errorf("%w: %s is not a file", fs.ErrInvalid, name)
	}
	data := f.Data
	if int64(len(data)) > max+1 && max >= 0 {
		data = data[:max+1]
	}
	return data, int64(len(f.Data)), nil
}
