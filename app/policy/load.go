package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// ScorecardsDir is the directory of a policy bundle that holds
// scorecards; the policy engine leaves it out.
const ScorecardsDir = "scorecards"

// ErrNoPolicies is returned for a bundle without a .rego file to use: a
// directory named by mistake must not pass as a bundle that finds nothing.
var ErrNoPolicies = errors.New("no .rego files to load (*_test.rego files hold tests only)")

// loadModules parses the .rego files of fsys, walking it recursively.
// keep decides, by file name, which files take part; none is an error.
func loadModules(fsys fs.FS, keep func(name string) bool) (map[string]*ast.Module, error) {
	modules := map[string]*ast.Module{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && name == ScorecardsDir {
			// Scorecards share an organisation's policy directory but are
			// no descriptor policies: app/scorecard loads them.
			return fs.SkipDir
		}
		if d.IsDir() || path.Ext(name) != ".rego" || !keep(name) {
			return nil
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true})
		if err != nil {
			return err
		}
		modules[name] = m
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load policies: %w", err)
	}
	if len(modules) == 0 {
		return nil, fmt.Errorf("load policies: %w", ErrNoPolicies)
	}
	return modules, nil
}

func isTestFile(name string) bool { return strings.HasSuffix(name, "_test.rego") }

func isPolicyFile(name string) bool { return !isTestFile(name) }
