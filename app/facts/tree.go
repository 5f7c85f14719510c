package facts

import (
	"context"
	"fmt"
	"slices"
)

// TreeEntry is one entry of a Git tree listing.
type TreeEntry struct {
	Path string // relative to the listed tree, slash-separated
	Type string // "blob", "tree" or "commit" (a submodule)
	SHA  string
}

// Trees is GitHub's Git trees API (GET /repos/{owner}/{repo}/git/trees/
// {sha}, with ?recursive=1 when recursive) for one repository, as App
// mode implements it. truncated reports that GitHub cut the listing
// short (past 100,000 entries or 7 MB).
type Trees interface {
	Tree(ctx context.Context, sha string, recursive bool) (entries []TreeEntry, truncated bool, err error)
}

// TreeFiles lists every file path of the tree sha: one recursive request
// for a tree GitHub lists whole, the usual case. When GitHub truncates
// it, it lists the tree's own entries and each subtree the same way, so
// a huge repository costs a request per subtree that is too large, not
// one per file. Submodules count as files, as `git ls-files` lists them.
func TreeFiles(ctx context.Context, t Trees, sha string) ([]string, error) {
	files, err := treeFiles(ctx, t, sha, "")
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	return files, nil
}

func treeFiles(ctx context.Context, t Trees, sha, prefix string) ([]string, error) {
	entries, truncated, err := t.Tree(ctx, sha, true)
	if err != nil {
		return nil, fmt.Errorf("list tree %s at /%s: %w", sha, prefix, err)
	}
	if !truncated {
		return blobs(entries, prefix), nil
	}
	entries, truncated, err = t.Tree(ctx, sha, false)
	if err != nil {
		return nil, fmt.Errorf("list tree %s at /%s: %w", sha, prefix, err)
	}
	if truncated {
		return nil, fmt.Errorf("list tree %s at /%s: truncated even without recursion", sha, prefix)
	}
	files := blobs(entries, prefix)
	for _, e := range entries {
		if e.Type != "tree" {
			continue
		}
		sub, err := treeFiles(ctx, t, e.SHA, prefix+e.Path+"/")
		if err != nil {
			return nil, err
		}
		files = append(files, sub...)
	}
	return files, nil
}

func blobs(entries []TreeEntry, prefix string) []string {
	var out []string
	for _, e := range entries {
		if e.Type != "tree" {
			out = append(out, prefix+e.Path)
		}
	}
	return out
}
