package validate

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// StdinPath is the argument that names standard input.
const StdinPath = "-"

// defaultGlobs name the files a directory walk picks up unless --glob adds
// more: Backstage's conventional descriptor names.
var defaultGlobs = []string{"catalog-info.yaml", "catalog-info.yml", "*.catalog.yaml", "*.catalog.yml"}

// skipDirs are never descended into.
var skipDirs = map[string]bool{".git": true, "node_modules": true}

// input is one file to check, numbered in the order the walk found it.
type input struct {
	seq  int
	path string // as shown in reports
	err  error  // a walk error for this path, reported as a finding
}

// Matcher decides whether a file is a descriptor by its path: Backstage's
// conventional names plus the extra globs it was made with.
type Matcher struct{ globs []string }

// NewMatcher returns a Matcher for the default names and extra globs.
func NewMatcher(extra []string) (Matcher, error) {
	for _, g := range extra {
		if _, err := path.Match(g, ""); err != nil {
			return Matcher{}, fmt.Errorf("bad glob %q: %w", g, err)
		}
	}
	return Matcher{globs: append(append([]string(nil), defaultGlobs...), extra...)}, nil
}

// Match tests a slash-separated path relative to a root (a directory
// walked, or a repository) against each glob, by base name and by the
// whole relative path.
func (m Matcher) Match(rel string) bool {
	base := path.Base(rel)
	for _, g := range m.globs {
		if ok, _ := path.Match(g, base); ok {
			return true
		}
		if ok, _ := path.Match(g, rel); ok {
			return true
		}
	}
	return false
}

// walk sends every input named by args to out, in a stable order: args in
// the order given, directory entries in lexical order. It stops early when
// ctx is done.
func walk(ctx context.Context, args []string, m Matcher, out chan<- input) {
	defer close(out)
	seq := 0
	send := func(p string, err error) bool {
		select {
		case out <- input{seq: seq, path: p, err: err}:
			seq++
			return true
		case <-ctx.Done():
			return false
		}
	}
	for _, a := range args {
		if !walkArg(ctx, a, m, send) {
			return
		}
	}
}

func walkArg(ctx context.Context, arg string, m Matcher, send func(string, error) bool) bool {
	if arg == StdinPath {
		return send(arg, nil)
	}
	st, err := os.Stat(arg)
	if err != nil {
		return send(arg, err)
	}
	if !st.IsDir() {
		return send(arg, nil)
	}
	ok := true
	err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			ok = send(p, err)
		} else if d.IsDir() {
			if p != arg && skipDirs[d.Name()] {
				return filepath.SkipDir
			}
		} else if rel, _ := filepath.Rel(arg, p); d.Type().IsRegular() && m.Match(filepath.ToSlash(rel)) {
			ok = send(p, nil)
		}
		if !ok || ctx.Err() != nil {
			return fs.SkipAll
		}
		return nil
	})
	return ok && err == nil
}

// displayPath shows paths with forward slashes and without a leading "./",
// as GitHub annotations and SARIF expect.
func displayPath(p string) string {
	return strings.TrimPrefix(filepath.ToSlash(p), "./")
}
