package render

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	"github.com/portico-dev/portico/app/tree"
)

// FileError is a failure to render one skeleton file: Path is the
// file's path in the source file system, Line the line of it the engine
// names (0 when it names none, as for a file's name).
type FileError struct {
	Path string
	Line int
	Err  error
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// RenderSkeletonSources is RenderSkeleton that also tells where each
// rendered file came from: sources maps a path of the tree to the
// skeleton file's path in src. Rendered names may hold expressions, so
// only the render itself knows this. A file that fails to render stops
// the render with a *FileError naming it.
func RenderSkeletonSources(ctx context.Context, src fs.FS, dir string, values map[string]any, opts Options) (out tree.Tree, sources map[string]string, findings []Finding, err error) {
	r, err := newSkeletonRenderer(ctx, src, dir, values, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	sources = map[string]string{}
	visit := func(p string, d fs.DirEntry, walkErr error) error {
		n := len(r.out)
		if err := r.visit(p, d, walkErr); err != nil {
			if ctx.Err() != nil {
				return err
			}
			line := errorLine(err)
			if strings.HasPrefix(err.Error(), "render the name of") {
				line = 0 // the line is the name's, not the file's
			}
			return &FileError{Path: p, Line: line, Err: err}
		}
		if len(r.out) > n {
			// destination refuses a path already written, so exactly
			// one path is new: the one without a source yet.
			for dest := range r.out {
				if _, ok := sources[dest]; !ok {
					sources[dest] = p
					break
				}
			}
		}
		return nil
	}
	if err := fs.WalkDir(src, r.root, visit); err != nil {
		return nil, nil, nil, err
	}
	return r.out, sources, r.findings, nil
}

// lineInError finds the line gonja names in its messages, which come as
// "at line 3", "line 3:" (locate's) and "(Line: 3 Col: 20".
var lineInError = regexp.MustCompile(`(?i)\bline:?\s+(\d+)`)

func errorLine(err error) int {
	var fe *FileError
	if errors.As(err, &fe) {
		return fe.Line
	}
	m := lineInError.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n, convErr := strconv.Atoi(m[1])
	if convErr != nil {
		return 0
	}
	return n
}
