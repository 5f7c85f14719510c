package templating

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/portico-dev/portico/app/tree"
)

// SkeletonOptions are a fetch:template step's rendering options.
type SkeletonOptions struct {
	CopyWithoutTemplating []string
	CopyWithoutRender     []string
	TemplateFileExtension string
	CookiecutterCompat    bool
	TrimBlocks            bool
	LStripBlocks          bool
	TargetPath            string
}

// Renderer is the Nunjucks engine as a template sees it: step inputs
// evaluated against the task's scope, skeleton folders rendered into
// trees. app/templating/render implements it.
type Renderer interface {
	RenderValue(ctx context.Context, input any, scope map[string]any) (any, error)
	RenderSkeleton(ctx context.Context, src fs.FS, dir string, values map[string]any, opts SkeletonOptions) (tree.Tree, error)
}

// Provenance is what a rendered repository records of where it came from.
type Provenance struct {
	// Commit is the platform configuration's commit the template was read
	// at; "" when it is not a Git checkout (the embedded defaults).
	Commit string
	// User is the entity reference of who asked, for the scope's user.ref.
	User string
}

// Render renders what a new repository generated from t holds, with
// the engine of app/templating/render; see RenderWith.
func (t *Template) Render(ctx context.Context, platform fs.FS, values map[string]any, prov Provenance) (tree.Tree, error) {
	return t.RenderWith(ctx, defaultRenderer, platform, values, prov)
}

// RenderWith validates values (defaults filled in), runs the template's
// fetch:template and fetch:plain steps in order with r, each reading
// folders of platform (the platform configuration), and adds provenance:
// the answers file and the source-template annotations of every
// descriptor rendered. Other steps do not change the files: they are
// skipped here. A later step's file replaces an earlier one's.
func (t *Template) RenderWith(ctx context.Context, r Renderer, platform fs.FS, values map[string]any, prov Provenance) (tree.Tree, error) {
	if r == nil {
		return nil, errors.New("render template: no renderer")
	}
	vals, err := t.Values(values)
	if err != nil {
		return nil, err
	}
	scope := map[string]any{
		"parameters": copyMap(vals),
		"user":       map[string]any{"ref": prov.User},
		"steps":      map[string]any{},
		"secrets":    map[string]any{},
	}
	out := tree.Tree{}
	for _, s := range t.Steps {
		if err := t.runStep(ctx, r, platform, s, scope, out); err != nil {
			return nil, fmt.Errorf("render template %s: %s:%d: %w", t.Name, t.Path, s.Line, err)
		}
	}
	if err := t.addProvenance(out, vals, prov); err != nil {
		return nil, fmt.Errorf("render template %s: %w", t.Name, err)
	}
	return out, nil
}

func (t *Template) runStep(ctx context.Context, r Renderer, platform fs.FS, s Step, scope map[string]any, out tree.Tree) error {
	if s.Action != ActionFetchTemplate && s.Action != ActionFetchPlain {
		return nil
	}
	run, err := stepRuns(ctx, r, s, scope)
	if err != nil || !run {
		return err
	}
	rendered, err := r.RenderValue(ctx, s.Input, scope)
	if err != nil {
		return fmt.Errorf("step %s: %w", s.label(), err)
	}
	input, _ := rendered.(map[string]any)
	typed, err := s.Decode(input)
	if err != nil {
		return err
	}
	var files tree.Tree
	switch in := typed.(type) {
	case FetchTemplate:
		files, err = t.fetchTemplate(ctx, r, platform, in)
	case FetchPlain:
		files, err = t.fetchPlain(platform, in)
	}
	if err != nil {
		return fmt.Errorf("step %s: %w", s.label(), err)
	}
	for p, f := range files {
		out[p] = f
	}
	return nil
}

// stepRuns evaluates a step's if as Backstage does: false, or an
// expression whose value JavaScript takes as false, skips the step.
func stepRuns(ctx context.Context, r Renderer, s Step, scope map[string]any) (bool, error) {
	switch c := s.If.(type) {
	case nil:
		return true, nil
	case bool:
		return c, nil
	case string:
		v, err := r.RenderValue(ctx, c, scope)
		if err != nil {
			return false, fmt.Errorf("step %s: if: %w", s.label(), err)
		}
		return truthy(v), nil
	}
	return true, nil
}

// truthy is JavaScript's truthiness, with Backstage's one exception: an
// empty array is false.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case float64:
		return x != 0 && x == x
	case int:
		return x != 0
	case []any:
		return len(x) > 0
	}
	return true
}

func (t *Template) fetchTemplate(ctx context.Context, r Renderer, platform fs.FS, in FetchTemplate) (tree.Tree, error) {
	dir, err := t.folder(platform, in.URL)
	if err != nil {
		return nil, err
	}
	values := in.Values
	if values == nil {
		values = map[string]any{}
	}
	return r.RenderSkeleton(ctx, platform, dir, values, SkeletonOptions{
		CopyWithoutTemplating: in.CopyWithoutTemplating,
		CopyWithoutRender:     in.CopyWithoutRender,
		TemplateFileExtension: in.TemplateFileExtension,
		CookiecutterCompat:    in.CookiecutterCompat,
		TrimBlocks:            in.TrimBlocks,
		LStripBlocks:          in.LStripBlocks,
		TargetPath:            in.TargetPath,
	})
}

// folder resolves a rendered step url to a folder of the platform
// configuration.
func (t *Template) folder(platform fs.FS, url string) (string, error) {
	dir, err := resolveURL(t.Dir, url)
	if err != nil {
		return "", err
	}
	st, err := fs.Stat(platform, dir)
	if err != nil {
		return "", fmt.Errorf("url %q: %w", url, err)
	}
	if !st.IsDir() {
		return "", fmt.Errorf("url %q names %s, which is not a folder", url, dir)
	}
	return dir, nil
}

func (t *Template) addProvenance(out tree.Tree, vals map[string]any, prov Provenance) error {
	if err := annotateTree(out, t.provenanceAnnotations()); err != nil {
		return err
	}
	a := Answers{SchemaVersion: AnswersSchemaVersion, Template: t.Name, Version: t.Version.String(),
		PlatformCommit: prov.Commit, Values: withoutSecrets(vals, t.Secrets())}
	data, err := a.Marshal()
	if err != nil {
		return err
	}
	out[AnswersPath] = tree.File{Data: data}
	return nil
}
