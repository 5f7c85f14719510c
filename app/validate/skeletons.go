package validate

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/portico-dev/portico/app/report"
	"github.com/portico-dev/portico/app/templating"
)

// skeletons checks the template skeleton files a run meets on disk by
// rendering their templates with sample values. It finds a skeleton's
// platform configuration from its path: the folder above the nearest
// templates/ folder, or else the folder above the nearest folder holding
// a template.yaml (shown as that template under templates/). Each
// platform's templates load once and each template renders once per run.
type skeletons struct {
	mu        sync.Mutex
	byDir     map[string]*platformDir // a skeleton's folder -> its platform
	platforms map[string]*platformDir
}

// platformDir is one platform configuration found on disk.
type platformDir struct {
	base   string // the folder on disk that prefix shows
	prefix string // "" or "templates/" when base holds a lone template
	// shown is base as the run's paths show it, learnt from the first
	// file met; known is false when that path did not tell.
	shown string
	known bool
	once  sync.Once
	ts    []*sampled
}

// sampled is one template of a platform, its sample render, and what
// the run has reported of its failure.
type sampled struct {
	t      *templating.Template
	sample *templating.Sample
	met    bool // a file of its skeleton was checked
	placed bool // its failure was reported in a file checked
}

func newSkeletons() *skeletons {
	return &skeletons{byDir: map[string]*platformDir{}, platforms: map[string]*platformDir{}}
}

// check returns the report of the skeleton file read as name and shown
// as path, or nil when no template found renders it (it is then skipped
// as a skeleton, as before templates were checked).
func (s *skeletons) check(ctx context.Context, c *Checker, name, path string) *report.File {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil
	}
	p := s.platform(filepath.Dir(abs))
	if p == nil {
		return nil
	}
	rel, err := filepath.Rel(p.base, abs)
	if err != nil {
		return nil
	}
	src := p.prefix + filepath.ToSlash(rel)
	p.once.Do(func() { p.load(ctx, path, filepath.ToSlash(rel)) })
	var out *report.File
	for _, st := range p.ts {
		f := c.CheckSample(ctx, path, src, st.sample)
		held := st.t.Holds(src) || f != nil
		s.mu.Lock()
		st.met = st.met || held
		st.placed = st.placed || (f != nil && st.sample.Failure != nil)
		s.mu.Unlock()
		if f == nil {
			continue
		}
		if out == nil {
			out = f
			continue
		}
		out.Documents = append(out.Documents, f.Documents...)
	}
	return out
}

// platform finds and remembers the platform configuration above dir.
func (s *skeletons) platform(dir string) *platformDir {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.byDir[dir]; ok {
		return p
	}
	base, prefix, ok := locatePlatform(dir)
	var p *platformDir
	if ok {
		key := prefix + "\x00" + base
		if p = s.platforms[key]; p == nil {
			p = &platformDir{base: base, prefix: prefix}
			s.platforms[key] = p
		}
	}
	s.byDir[dir] = p
	return p
}

// locatePlatform walks up from dir, within its Git working tree when
// it is in one.
func locatePlatform(dir string) (base, prefix string, ok bool) {
	top := repositoryRoot(dir)
	if _, err := os.Lstat(filepath.Join(top, ".git")); err != nil {
		top = ""
	}
	for d := dir; ; d = filepath.Dir(d) {
		if filepath.Base(d) == templating.TemplatesDir {
			return filepath.Dir(d), "", true
		}
		if d == top || filepath.Dir(d) == d {
			break
		}
	}
	for d := dir; ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, templating.TemplateFile)); err == nil && st.Mode().IsRegular() {
			return filepath.Dir(d), templating.TemplatesDir + "/", true
		}
		if d == top || filepath.Dir(d) == d {
			return "", "", false
		}
	}
}

// load lists the platform's templates and renders each with sample
// values. Templates that do not load are left to the template checks.
func (p *platformDir) load(ctx context.Context, path, rel string) {
	if strings.HasSuffix(path, rel) {
		p.shown, p.known = strings.TrimSuffix(strings.TrimSuffix(path, rel), "/"), true
	}
	fsys := os.DirFS(p.base)
	platform := fsys
	if p.prefix != "" {
		platform = templating.Mount(strings.TrimSuffix(p.prefix, "/"), fsys)
	}
	ts, _ := templating.List(platform)
	for _, t := range ts {
		p.ts = append(p.ts, &sampled{t: t, sample: t.RenderSample(ctx, platform)})
	}
}

// failures are the render failures of templates whose skeleton files
// the run checked that no checked file reported (they are in a file the
// run does not check: a README, the template.yaml), in path order.
func (s *skeletons) failures() []*report.File {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*report.File
	for _, p := range s.platforms {
		for _, st := range p.ts {
			if f := st.sample.Failure; f != nil && st.met && !st.placed {
				out = append(out, RenderFailure(p.display(f.File), f))
			}
		}
	}
	slices.SortFunc(out, func(a, b *report.File) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// display shows a path of the platform as the run shows the files.
func (p *platformDir) display(src string) string {
	rel := strings.TrimPrefix(src, p.prefix)
	switch {
	case !p.known:
		return displayPath(filepath.Join(p.base, filepath.FromSlash(rel)))
	case p.shown == "":
		return rel
	}
	return p.shown + "/" + rel
}

// withSkeletons returns a copy of c that checks the skeleton files of
// one run by rendering their templates.
func (c *Checker) withSkeletons() *Checker {
	cc := *c
	cc.skeletons = newSkeletons()
	return &cc
}

// checkSkeleton checks a file that may be a template's skeleton by
// rendering the template, or returns nil. Files with no tag at all
// render to themselves and are not looked at; cookiecutterCompat
// skeletons hold {{ }} rather than ${{ }}.
func (c *Checker) checkSkeleton(ctx context.Context, name, path string, content []byte) *report.File {
	if c.skeletons == nil || name == StdinPath || !hasTags(content) {
		return nil
	}
	return c.skeletons.check(ctx, c, name, path)
}

func hasTags(content []byte) bool {
	return bytes.Contains(content, []byte("{{")) || bytes.Contains(content, []byte("{%")) || bytes.Contains(content, []byte("{#"))
}

// emitTemplateFailures writes the render failures no file of the run
// reported, after the run's files.
func (c *Checker) emitTemplateFailures(res *Result, w report.Writer) error {
	if c.skeletons == nil {
		return nil
	}
	for _, f := range c.skeletons.failures() {
		res.Summary.Add(f)
		if err := w.File(f); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	return nil
}
