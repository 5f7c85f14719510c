package merge

import (
	"fmt"
	"sort"

	"github.com/portico-dev/portico/app/tree"
)

// Outcome is what an upgrade does to one path of the repository.
type Outcome string

// The outcomes of a path, relative to the repository's current files.
const (
	Unchanged Outcome = "unchanged" // the repository's file (or its absence) stays as it is
	Updated   Outcome = "updated"   // the template's changes merged in cleanly
	Added     Outcome = "added"     // a new file from the template
	Deleted   Outcome = "deleted"   // removed by the template, untouched in the repository
	Kept      Outcome = "kept"      // the repository's choice wins over the template's; reported
	Conflict  Outcome = "conflict"  // needs a person: inline markers, or the repository's file kept
)

// FileReport is one path's outcome.
type FileReport struct {
	Path    string
	Outcome Outcome
	// Conflicts is the number of conflict hunks in a merged text file,
	// 1 for a conflict on a whole file (binary, symlink, mode, or a
	// file added on both sides that could not be merged as text), 0
	// when there is no conflict.
	Conflicts int
	// Reason says why, in a sentence fit for a pull request body; empty
	// for unchanged paths.
	Reason string
}

// Result is a merged tree and the outcome of every path of the three
// trees, sorted by path.
type Result struct {
	Tree  tree.Tree
	Files []FileReport
}

// Changed returns the paths whose outcome is not Unchanged, in path
// order: what a pull request body or the CLI lists.
func (r Result) Changed() []FileReport {
	return r.filter(func(f FileReport) bool { return f.Outcome != Unchanged })
}

// Conflicts returns the paths in conflict, in path order.
func (r Result) Conflicts() []FileReport {
	return r.filter(func(f FileReport) bool { return f.Outcome == Conflict })
}

// Kept returns the paths where the repository's change won over the
// template's, in path order.
func (r Result) Kept() []FileReport {
	return r.filter(func(f FileReport) bool { return f.Outcome == Kept })
}

// Clean reports whether the merge has no conflict.
func (r Result) Clean() bool {
	for _, f := range r.Files {
		if f.Outcome == Conflict {
			return false
		}
	}
	return true
}

// Count returns how many paths have outcome o.
func (r Result) Count(o Outcome) int {
	n := 0
	for _, f := range r.Files {
		if f.Outcome == o {
			n++
		}
	}
	return n
}

func (r Result) filter(keep func(FileReport) bool) []FileReport {
	var out []FileReport
	for _, f := range r.Files {
		if keep(f) {
			out = append(out, f)
		}
	}
	return out
}

// Trees merges the template's changes from base to theirs into ours,
// file by file:
//   - in all three: merged by Text (binary files and symlinks whole, the
//     executable bit on its own, as Git does);
//   - added by the template: created; a conflict if ours already has a
//     different file there (text files then carry inline markers);
//   - removed by the template: deleted when ours equals base, else kept
//     and reported;
//   - deleted by the repository: stays deleted, reported when the
//     template changed it;
//   - binary files, mode changes and symlinks: theirs when ours equals
//     base, else a reported conflict that keeps ours;
//   - unchanged by the template: ours as it is.
//
// The input trees are not modified; the result shares file contents with
// them.
func Trees(base, ours, theirs tree.Tree, labels Labels) Result {
	out := make(tree.Tree, len(ours)+len(theirs)/8)
	for p, f := range ours {
		out[p] = f
	}
	paths := unionPaths(base, ours, theirs)
	files := make([]FileReport, 0, len(paths))
	for _, p := range paths {
		b, inB := base[p]
		o, inO := ours[p]
		t, inT := theirs[p]
		var r FileReport
		switch {
		case inB && inO && inT:
			var f tree.File
			f, r = mergeFile(b, o, t, labels)
			out[p] = f
		case inO && inT: // added on both sides
			var f tree.File
			f, r = addAdd(o, t, labels)
			out[p] = f
		case inT && !inB: // added by the template
			out[p] = t
			r = FileReport{Outcome: Added, Reason: "added by the template"}
		case inB && inO: // removed by the template
			if o.Equal(b) {
				delete(out, p)
				r = FileReport{Outcome: Deleted, Reason: "removed by the template"}
			} else {
				r = FileReport{Outcome: Kept, Reason: "removed by the template but changed in the repository: kept"}
			}
		case inB && inT: // deleted by the repository
			if !t.Equal(b) {
				r = FileReport{Outcome: Kept, Reason: "deleted in the repository, changed by the template: stays deleted"}
			}
		}
		if r.Outcome == "" {
			r.Outcome = Unchanged
		}
		r.Path = p
		files = append(files, r)
	}
	return Result{Tree: out, Files: files}
}

func unionPaths(ts ...tree.Tree) []string {
	n := 0
	for _, t := range ts {
		n = max(n, len(t))
	}
	seen := make(map[string]struct{}, n+n/4)
	for _, t := range ts {
		for p := range t {
			seen[p] = struct{}{}
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// mergeFile merges a file present in all three trees.
func mergeFile(b, o, t tree.File, labels Labels) (tree.File, FileReport) {
	switch {
	case t.Equal(b), o.Equal(t):
		return o, FileReport{}
	case o.Equal(b):
		return t, FileReport{Outcome: Updated, Reason: "the template's new version"}
	}
	// Both sides changed the file, differently.
	if b.Mode == tree.Symlink || o.Mode == tree.Symlink || t.Mode == tree.Symlink {
		return o, wholeConflict("symbolic link changed in both the repository and the template")
	}
	mode, modeOK := pick(b.Mode, o.Mode, t.Mode)
	if !modeOK {
		return o, wholeConflict("file mode changed in both the repository and the template")
	}
	var data []byte
	var n int
	switch {
	case string(o.Data) == string(b.Data):
		data = t.Data
	case string(t.Data) == string(b.Data), string(o.Data) == string(t.Data):
		data = o.Data
	case IsBinary(b.Data) || IsBinary(o.Data) || IsBinary(t.Data):
		return o, wholeConflict("binary file changed in both the repository and the template")
	default:
		data, n = Text(b.Data, o.Data, t.Data, labels)
	}
	f := tree.File{Data: data, Mode: mode}
	switch {
	case n > 0:
		return f, FileReport{Outcome: Conflict, Conflicts: n,
			Reason: fmt.Sprintf("%s between the repository's and the template's changes", plural(n, "conflict"))}
	case f.Equal(o):
		return o, FileReport{}
	default:
		return f, FileReport{Outcome: Updated, Reason: "the template's changes merged with the repository's"}
	}
}

// addAdd handles a path the template adds where the repository already
// has a file.
func addAdd(o, t tree.File, labels Labels) (tree.File, FileReport) {
	if o.Equal(t) {
		return o, FileReport{}
	}
	text := o.Mode != tree.Symlink && t.Mode != tree.Symlink && !IsBinary(o.Data) && !IsBinary(t.Data)
	if !text || o.Mode != t.Mode || string(o.Data) == string(t.Data) {
		return o, wholeConflict("added by the template where the repository already has a different file")
	}
	// As Git does for a file added on both sides: a merge against an
	// empty base, so both versions show inline.
	data, n := Text(nil, o.Data, t.Data, labels)
	return tree.File{Data: data, Mode: o.Mode}, FileReport{Outcome: Conflict, Conflicts: max(n, 1),
		Reason: "added by the template where the repository already has a different file"}
}

func wholeConflict(reason string) FileReport {
	return FileReport{Outcome: Conflict, Conflicts: 1, Reason: reason + "; the repository's version is kept"}
}

// pick merges one attribute three ways: a side that did not change it
// takes the other side's value.
func pick(b, o, t tree.Mode) (tree.Mode, bool) {
	switch {
	case o == b:
		return t, true
	case t == b, o == t:
		return o, true
	}
	return o, false
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
