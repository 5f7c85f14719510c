package checks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/portico-dev/portico/app/facts"
	"github.com/portico-dev/portico/app/report"
	"github.com/portico-dev/portico/app/templating"
	"github.com/portico-dev/portico/app/tree"
	"github.com/portico-dev/portico/app/validate"
)

// Bounds of the template check, whose input is the pull request's head:
// its files are read as data and rendered by the Nunjucks engine, which
// runs no code, within these limits.
const (
	maxTemplateFiles   = 500              // files read from the head for templates, template.yaml files included
	maxTemplatesRender = 20               // templates rendered by one check
	templateRenderTime = 30 * time.Second // for all the renders of one check
)

// templateCheck is what checking a change's templates found: a report
// per skeleton file, at its path (which replaces checking that file as
// it is), in path order.
type templateCheck struct {
	files map[string]*report.File
	order []string
}

// checkTemplates renders, with sample values, every template of the
// head that the change touches (its template.yaml, or a file of its
// folder or of the skeleton folders it renders) and checks what its
// skeleton descriptors become, at their skeleton's lines (see
// validate.CheckSample). A change with no file under templates/ costs
// no request.
func (r *Runner) checkTemplates(ctx context.Context, repo Repo, sha string, changed [][]Change, chk *validate.Checker) (*templateCheck, error) {
	paths := changedPaths(changed)
	if !slices.ContainsFunc(paths, underTemplates) {
		return nil, nil
	}
	entries, _, err := repo.Tree(ctx, sha, true)
	if err != nil {
		return nil, fmt.Errorf("templates at %s: %w", sha, err)
	}
	blobs := blobPaths(entries)
	var defs []string
	for _, p := range blobs {
		if underTemplates(p) && path.Base(p) == templating.TemplateFile && len(defs) < maxTemplateFiles {
			defs = append(defs, p)
		}
	}
	head, err := readHead(ctx, repo, sha, defs, chk.MaxBytes())
	if err != nil {
		return nil, err
	}
	folders := blobFolders(blobs)
	ts, _ := templating.List(tree.FS(head, folders...))
	touched := touchedTemplates(ts, paths)
	if len(touched) > maxTemplatesRender {
		touched = touched[:maxTemplatesRender]
	}
	if err := readTemplateFolders(ctx, repo, sha, head, touched, blobs, chk.MaxBytes()); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, templateRenderTime)
	defer cancel()
	out := &templateCheck{files: map[string]*report.File{}}
	for _, t := range touched {
		out.add(ctx, r.matcher, chk, t.RenderSample(ctx, tree.FS(head, folders...)))
	}
	slices.Sort(out.order)
	return out, nil
}

// add checks a template's skeleton descriptors, and reports a failure
// at its file whatever that file is.
func (tc *templateCheck) add(ctx context.Context, m validate.Matcher, chk *validate.Checker, s *templating.Sample) {
	if f := s.Failure; f != nil {
		tc.put(f.File, validate.RenderFailure(f.File, f))
		return
	}
	for _, f := range s.Files {
		if m.Match(f.Path) || m.Match(f.Source) {
			if rf := chk.CheckSample(ctx, f.Source, f.Source, s); rf != nil {
				tc.put(f.Source, rf)
			}
		}
	}
}

func (tc *templateCheck) put(p string, f *report.File) {
	if prev, ok := tc.files[p]; ok {
		if prev != f && !slices.Equal(findingKeys(prev), findingKeys(f)) {
			prev.Documents = append(prev.Documents, f.Documents...)
		}
		return
	}
	tc.files[p] = f
	tc.order = append(tc.order, p)
}

// findingKeys tell two reports of one file apart, so a skeleton that two
// templates share is reported once when they agree on it.
func findingKeys(f *report.File) []string {
	var out []string
	for _, d := range f.Documents {
		for _, fd := range d.Findings {
			out = append(out, fmt.Sprintf("%d:%d %s %s", fd.Line, fd.Column, fd.Rule, fd.Message))
		}
	}
	return out
}

// result is a skeleton file's report, if the template check made one.
func (tc *templateCheck) result(p string) (*report.File, bool) {
	if tc == nil {
		return nil, false
	}
	f, ok := tc.files[p]
	return f, ok
}

// changedPaths lists the paths the change adds or modifies.
func changedPaths(changed [][]Change) []string {
	var out []string
	for _, files := range changed {
		for _, f := range files {
			if f.Status != "removed" && !slices.Contains(out, f.Path) {
				out = append(out, f.Path)
			}
		}
	}
	return out
}

func underTemplates(p string) bool { return strings.HasPrefix(p, templating.TemplatesDir+"/") }

func blobPaths(entries []facts.TreeEntry) []string {
	var out []string
	for _, e := range entries {
		if e.Type == "blob" {
			out = append(out, e.Path)
		}
	}
	slices.Sort(out)
	return out
}

// touchedTemplates are the templates a changed path belongs to: in the
// template's folder, or in a folder its steps render.
func touchedTemplates(ts []*templating.Template, paths []string) []*templating.Template {
	var out []*templating.Template
	for _, t := range ts {
		for _, p := range paths {
			if strings.HasPrefix(p, t.Dir+"/") || t.Holds(p) || inFolders(p, plainDirs(t)) {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

// folders are the folders of the head a template's render reads: its
// own, and those its fetch steps name without expressions.
func folders(t *templating.Template) []string {
	return slices.Concat([]string{t.Dir}, t.SkeletonDirs(), plainDirs(t))
}

// plainDirs are the folders a template's fetch:plain steps copy, as far
// as their url is written without expressions.
func plainDirs(t *templating.Template) []string {
	var out []string
	for _, s := range t.Steps {
		url, _ := s.Input["url"].(string)
		if s.Action != templating.ActionFetchPlain || url == "" || strings.Contains(url, "${{") {
			continue
		}
		if p := path.Join(t.Dir, url); p != ".." && !strings.HasPrefix(p, "../") {
			out = append(out, p)
		}
	}
	return out
}

func inFolders(p string, dirs []string) bool {
	return slices.ContainsFunc(dirs, func(d string) bool { return strings.HasPrefix(p, d+"/") })
}

// blobFolders are the folders of the head's files, so that a template's
// step urls resolve to folders when its template.yaml loads, before their
// files are read.
func blobFolders(blobs []string) []string {
	seen := map[string]bool{}
	for _, p := range blobs {
		seen[path.Dir(p)] = true
	}
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	return out
}

// readTemplateFolders adds to head every file of the folders the
// templates read, at most maxTemplateFiles in all.
func readTemplateFolders(ctx context.Context, repo Repo, sha string, head tree.Tree, ts []*templating.Template, blobs []string, maxBytes int64) error {
	var dirs []string
	for _, t := range ts {
		dirs = append(dirs, folders(t)...)
	}
	var want []string
	read := len(head)
	for _, p := range blobs {
		if _, have := head[p]; !have && inFolders(p, dirs) && len(want)+read < maxTemplateFiles {
			want = append(want, p)
		}
	}
	more, err := readHead(ctx, repo, sha, want, maxBytes)
	for p, f := range more {
		head[p] = f
	}
	return err
}

// readHead reads files of the head with bounded parallelism into a file
// system; a file over maxBytes is left empty (its render is then
// meaningless, but the descriptor check reports its size anyway).
func readHead(ctx context.Context, repo Repo, sha string, paths []string, maxBytes int64) (tree.Tree, error) {
	out := tree.Tree{}
	var mu sync.Mutex
	errs := make([]error, len(paths))
	sem := make(chan struct{}, fetchParallelism)
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			content, size, err := repo.File(ctx, p, sha)
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) {
				return
			}
			if err != nil {
				errs[i] = err
				return
			}
			if size > maxBytes {
				content = nil
			}
			mu.Lock()
			out[p] = tree.File{Data: content}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// done marks a skeleton file's report as placed among the changed
// descriptors.
func (tc *templateCheck) done(p string) { delete(tc.files, p) }

// rest are the reports not placed among the changed descriptors: the
// skeleton files the change did not touch, and render failures in files
// that are not descriptors, in path order.
func (tc *templateCheck) rest() []*report.File {
	if tc == nil {
		return nil
	}
	var out []*report.File
	for _, p := range tc.order {
		if f, ok := tc.files[p]; ok {
			out = append(out, f)
		}
	}
	return out
}
