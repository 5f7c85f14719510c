package validate

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/portico-dev/portico/app/descriptor"
)

// Tree gives the repository that a descriptor's placeholders read from:
// its files and the descriptor's slash-separated path in it. close
// releases what it holds.
type Tree func(path string) (files descriptor.Files, rel string, close func(), err error)

// WithTree returns a copy of c that resolves the $text, $json and $yaml
// placeholders of each file it checks from the tree t gives for it.
func (c *Checker) WithTree(t Tree) *Checker {
	cc := *c
	cc.tree = t
	return &cc
}

// DiskTree is the Tree of a local checkout: a descriptor's placeholders
// read from the Git working tree around it (the nearest directory above
// it with a .git), or from its own directory when there is none; never
// from outside it, symbolic links included (os.Root). Standard input
// counts as a file in the current directory.
func DiskTree(path string) (descriptor.Files, string, func(), error) {
	if path == StdinPath {
		path = "catalog-info.yaml"
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, "", nil, fmt.Errorf("locate %s: %w", path, err)
	}
	top := repositoryRoot(filepath.Dir(abs))
	root, err := os.OpenRoot(top)
	if err != nil {
		return nil, "", nil, fmt.Errorf("open %s: %w", top, err)
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil {
		root.Close()
		return nil, "", nil, fmt.Errorf("locate %s: %w", path, err)
	}
	return descriptor.FSFiles{FS: root.FS()}, filepath.ToSlash(rel), func() { root.Close() }, nil
}

// repositoryRoot is the nearest directory from dir up that holds .git,
// or dir itself.
func repositoryRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			return dir
		}
		d = up
	}
}

// mayHavePlaceholders is a cheap test that spares files without any
// placeholder key the opening of their tree.
func mayHavePlaceholders(data []byte) bool {
	return bytes.Contains(data, []byte("$text")) || bytes.Contains(data, []byte("$json")) || bytes.Contains(data, []byte("$yaml"))
}

// resolveAll resolves the placeholders of every document of a file read
// as path; a document whose resolution fails otherwise than by a finding
// gets an io/read finding, since a run on local files cannot retry.
func (c *Checker) resolveAll(ctx context.Context, path string, docs []*descriptor.Document) {
	files, rel, closeTree, err := c.tree(path)
	if err != nil {
		for _, d := range docs {
			d.Findings = append(d.Findings, readFinding(d, err))
		}
		return
	}
	defer closeTree()
	for _, d := range docs {
		if err := descriptor.Resolve(ctx, d, rel, files); err != nil {
			d.Findings = append(d.Findings, readFinding(d, err))
		}
	}
}

func readFinding(d *descriptor.Document, err error) descriptor.Finding {
	return descriptor.Finding{Severity: descriptor.SeverityError, Rule: RuleRead,
		Message: fmt.Sprintf("cannot resolve placeholders: %v", err), Line: d.Line, Column: 1}
}
