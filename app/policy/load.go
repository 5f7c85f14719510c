package policy

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// loadModules parses the .rego files of fsys, walking it recursively.
// keep decides, by file name, which files take part.
func loadModules(fsys fs.FS, keep func(name string) bool) (map[string]*ast.Module, error) {
	modules := map[string]*ast.Module{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(name) != ".rego" || !keep(name) {
			return nil
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			return err
		}
		modules[name] = m
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load policies: %w", err)
	}
	return modules, nil
}

func isTestFile(name string) bool { return strings.HasSuffix(name, "_test.rego") }

func isPolicyFile(name string) bool { return !isTestFile(name) }
