package render

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/portico-dev/portico/app/tree"
)

// Options are a fetch:template step's inputs that shape the output, once
// RenderValue has evaluated them (see OptionsFromInput).
type Options struct {
	Syntax
	// TargetPath is where the files go, relative to the output root.
	TargetPath string
	// CopyWithoutTemplating lists globs (relative to the skeleton) of
	// files copied as they are; their names are still rendered.
	CopyWithoutTemplating []string
	// CopyWithoutRender is the deprecated form: names are not rendered
	// either.
	CopyWithoutRender []string
	// TemplateFileExtension, when set (".njk" for true), renders only the
	// files with that extension, and strips it.
	TemplateFileExtension string
	// MaxOutputBytes caps the bytes of all rendered files and names
	// together; zero means DefaultMaxOutputBytes.
	MaxOutputBytes int64
}

// Finding is something rendering did that a user may want to know: a
// file skipped or copied as it is, and why.
type Finding struct {
	Path    string // the skeleton's path
	Message string
}

func (f Finding) String() string { return f.Path + ": " + f.Message }

// RenderSkeleton renders the skeleton folder dir of src with values, as
// Backstage's fetch:template does, into a tree. Templates see values as
// `values` (`cookiecutter` under CookiecutterCompat). Binary files and
// symbolic links are copied as they are; the executable bit is kept.
func RenderSkeleton(ctx context.Context, src fs.FS, dir string, values map[string]any, opts Options) (tree.Tree, []Finding, error) {
	r, err := newSkeletonRenderer(ctx, src, dir, values, opts)
	if err != nil {
		return nil, nil, err
	}
	if err := fs.WalkDir(src, r.root, r.visit); err != nil {
		return nil, nil, err
	}
	return r.out, r.findings, nil
}

type skeletonRenderer struct {
	ctx      context.Context
	src      fs.FS
	root     string
	target   string
	opts     Options
	scope    map[string]any
	budget   *budget
	out      tree.Tree
	findings []Finding
}

func newSkeletonRenderer(ctx context.Context, src fs.FS, dir string, values map[string]any, opts Options) (*skeletonRenderer, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	root := path.Clean(dir)
	if root == "" || !fs.ValidPath(root) {
		return nil, fmt.Errorf("skeleton %q: not a path inside the template", dir)
	}
	target, err := cleanTarget(opts.TargetPath)
	if err != nil {
		return nil, err
	}
	key := "values"
	if opts.CookiecutterCompat {
		key = "cookiecutter"
	}
	max := opts.MaxOutputBytes
	if max <= 0 {
		max = DefaultMaxOutputBytes
	}
	return &skeletonRenderer{
		ctx: ctx, src: src, root: root, target: target, opts: opts,
		scope:  normalizeScope(map[string]any{key: values}),
		budget: &budget{left: max},
		out:    tree.Tree{},
	}, nil
}

// check refuses the combinations Backstage's fetch:template refuses.
func (o Options) check() error {
	if o.CopyWithoutRender != nil && o.CopyWithoutTemplating != nil {
		return errors.New("copyWithoutRender and copyWithoutTemplating can not be used at the same time")
	}
	if o.TemplateFileExtension != "" && (o.CopyWithoutRender != nil || o.CopyWithoutTemplating != nil || o.CookiecutterCompat) {
		return errors.New("templateFileExtension is incompatible with copyWithoutRender/copyWithoutTemplating and cookiecutterCompat")
	}
	return nil
}

// cleanTarget resolves targetPath inside the output root, as Backstage's
// resolveSafeChildPath does; "" is the root itself.
func cleanTarget(p string) (string, error) {
	if strings.HasPrefix(p, "/") || strings.Contains(p, "\\") {
		return "", fmt.Errorf("targetPath %q: not a relative path", p)
	}
	c := path.Clean("./" + p)
	if c == ".." || strings.HasPrefix(c, "../") {
		return "", fmt.Errorf("targetPath %q: outside the output root", p)
	}
	if c == "." {
		return "", nil
	}
	return tree.CleanPath(c)
}

func (r *skeletonRenderer) visit(p string, d fs.DirEntry, err error) error {
	if err != nil {
		return fmt.Errorf("read skeleton %s: %w", p, err)
	}
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if d.IsDir() {
		return nil
	}
	rel := strings.TrimPrefix(p, r.root+"/")
	if r.root == "." {
		rel = p
	}
	return r.file(rel, p, d)
}

// file renders one skeleton entry: its name, then its contents.
func (r *skeletonRenderer) file(rel, full string, d fs.DirEntry) error {
	renderContents, name := r.plan(rel)
	out, err := r.renderName(rel, name)
	if err != nil {
		return err
	}
	if out == "" || strings.HasPrefix(out, "/") || strings.Contains(out, "//") {
		r.note(rel, "skipped: its name renders empty")
		return nil
	}
	dest, err := r.destination(rel, out)
	if err != nil || dest == "" {
		return err
	}
	f, err := r.read(rel, full, d, renderContents)
	if err != nil {
		return err
	}
	r.out[dest] = f
	return nil
}

// plan says whether rel's contents render and which name to render.
func (r *skeletonRenderer) plan(rel string) (renderContents bool, name string) {
	if ext := r.opts.TemplateFileExtension; ext != "" {
		if path.Ext(rel) == ext {
			return true, strings.TrimSuffix(rel, ext)
		}
		return false, rel
	}
	if r.opts.CopyWithoutRender != nil {
		return !matchAny(r.opts.CopyWithoutRender, rel), rel
	}
	return !matchAny(r.opts.CopyWithoutTemplating, rel), rel
}

func (r *skeletonRenderer) renderName(rel, name string) (string, error) {
	if r.opts.CopyWithoutRender != nil && matchAny(r.opts.CopyWithoutRender, rel) {
		return name, nil
	}
	out, err := r.render(name)
	if err != nil {
		return "", fmt.Errorf("render the name of %s: %w", rel, err)
	}
	return out, nil
}

// destination joins the rendered name to targetPath and checks it stays
// inside the root; "" with no error means skip (already written).
func (r *skeletonRenderer) destination(rel, out string) (string, error) {
	joined := path.Join(r.target, out)
	if joined == ".." || strings.HasPrefix(joined, "../") || path.IsAbs(joined) {
		return "", fmt.Errorf("%s renders to %q, outside the output root", rel, out)
	}
	dest, err := tree.CleanPath(joined)
	if err != nil {
		r.note(rel, fmt.Sprintf("skipped: %v", err))
		return "", nil
	}
	if _, dup := r.out[dest]; dup {
		r.note(rel, fmt.Sprintf("skipped: %s is already written", dest))
		return "", nil
	}
	for p := range r.out {
		if strings.HasPrefix(p, dest+"/") || strings.HasPrefix(dest, p+"/") {
			r.note(rel, fmt.Sprintf("skipped: %s clashes with %s", dest, p))
			return "", nil
		}
	}
	return dest, nil
}

func (r *skeletonRenderer) read(rel, full string, d fs.DirEntry, renderContents bool) (tree.File, error) {
	info, err := d.Info()
	if err != nil {
		return tree.File{}, fmt.Errorf("read skeleton %s: %w", rel, err)
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		return r.symlink(rel, full)
	}
	if !info.Mode().IsRegular() {
		return tree.File{}, fmt.Errorf("skeleton %s: not a regular file", rel)
	}
	data, err := fs.ReadFile(r.src, full)
	if err != nil {
		return tree.File{}, fmt.Errorf("read skeleton %s: %w", rel, err)
	}
	mode := tree.Regular
	if info.Mode().Perm()&0o111 != 0 {
		mode = tree.Executable
	}
	if isBinary(data) {
		return tree.File{Data: data, Mode: mode}, r.spend(int64(len(data)))
	}
	text := toValidUTF8(data)
	if len(text) != len(data) || !utf8.Valid(data) {
		r.note(rel, "invalid UTF-8 replaced by U+FFFD, as Node reads it")
	}
	if !renderContents {
		return tree.File{Data: []byte(text), Mode: mode}, r.spend(int64(len(text)))
	}
	out, err := r.render(text)
	if err != nil {
		return tree.File{}, fmt.Errorf("render %s: %w", rel, err)
	}
	return tree.File{Data: []byte(out), Mode: mode}, nil
}

// symlink copies a link as it is, like fs-extra's copy; a target that
// leads outside the skeleton is refused.
func (r *skeletonRenderer) symlink(rel, full string) (tree.File, error) {
	target, err := fs.ReadLink(r.src, full)
	if err != nil {
		return tree.File{}, fmt.Errorf("read skeleton link %s: %w", rel, err)
	}
	resolved := path.Join(path.Dir(rel), target)
	if path.IsAbs(target) || resolved == ".." || strings.HasPrefix(resolved, "../") {
		return tree.File{}, fmt.Errorf("skeleton link %s -> %s leads outside the skeleton", rel, target)
	}
	return tree.File{Data: []byte(target), Mode: tree.Symlink}, r.spend(int64(len(target)))
}

func (r *skeletonRenderer) render(text string) (string, error) {
	var b strings.Builder
	if err := renderTo(r.ctx, &b, r.budget, "template", text, r.scope, r.opts.Syntax); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (r *skeletonRenderer) spend(n int64) error {
	if n > r.budget.left {
		return ErrOutputTooLarge
	}
	r.budget.left -= n
	return nil
}

func (r *skeletonRenderer) note(rel, msg string) {
	r.findings = append(r.findings, Finding{Path: rel, Message: msg})
}

// toValidUTF8 decodes as Node's utf-8 reader does: each invalid byte
// becomes U+FFFD.
func toValidUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var s strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		s.WriteRune(r)
		b = b[n:]
	}
	return s.String()
}
