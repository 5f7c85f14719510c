package templating

import (
	"context"
	"io/fs"

	"github.com/portico-dev/portico/app/templating/render"
	"github.com/portico-dev/portico/app/tree"
)

// defaultRenderer is the engine Render uses: app/templating/render.
var defaultRenderer Renderer = engine{}

// engine adapts app/templating/render to Renderer. Its findings (files
// copied as they are, and why) are not errors and are left out here.
type engine struct{}

func (engine) RenderValue(ctx context.Context, input any, scope map[string]any) (any, error) {
	return render.RenderValue(ctx, input, scope)
}

func (engine) RenderSkeleton(ctx context.Context, src fs.FS, dir string, values map[string]any, o SkeletonOptions) (tree.Tree, error) {
	out, _, err := render.RenderSkeleton(ctx, src, dir, values, render.Options{
		Syntax:                render.Syntax{CookiecutterCompat: o.CookiecutterCompat, TrimBlocks: o.TrimBlocks, LStripBlocks: o.LStripBlocks},
		TargetPath:            o.TargetPath,
		CopyWithoutTemplating: o.CopyWithoutTemplating,
		CopyWithoutRender:     o.CopyWithoutRender,
		TemplateFileExtension: o.TemplateFileExtension,
	})
	return out, err
}
