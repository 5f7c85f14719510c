package merge

import (
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/tree"
)

func reg(s string) *tree.File  { return &tree.File{Data: []byte(s), Mode: tree.Regular} }
func exe(s string) *tree.File  { return &tree.File{Data: []byte(s), Mode: tree.Executable} }
func link(s string) *tree.File { return &tree.File{Data: []byte(s), Mode: tree.Symlink} }

// one makes a tree holding f at "f", or an empty tree when f is nil.
func one(f *tree.File) tree.Tree {
	t := tree.Tree{}
	if f != nil {
		t["f"] = *f
	}
	return t
}

const (
	text0 = "a\nb\nc\nd\ne\n"
	textO = "A\nb\nc\nd\ne\n"  // ours edits the first line
	textT = "a\nb\nc\nd\nE\n"  // theirs edits the last line
	textM = "A\nb\nc\nd\nE\n"  // both merged
	textX = "a\nb\nc\nd\nX\n"  // ours edits theirs' line
	bin0  = "\x00\x01binary-0" // binary base
	binO  = "\x00\x01binary-o" // binary changed by ours
	binT  = "\x00\x01binary-t" // binary changed by theirs
	textC = "<<<<<<< ours (repository)\n"
)

// TestTreesRules has one case per file rule of an upgrade.
func TestTreesRules(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name               string
		base, ours, theirs *tree.File
		want               *tree.File // nil: absent from the result
		outcome            Outcome
		conflicts          int
		reason             string // a part of the reason, when one is expected
	}{
		{"unchanged by the template", reg(text0), reg(textO), reg(text0), reg(textO), Unchanged, 0, ""},
		{"untouched everywhere", reg(text0), reg(text0), reg(text0), reg(text0), Unchanged, 0, ""},
		{"template change, repository untouched", reg(text0), reg(text0), reg(textT), reg(textT), Updated, 0, "new version"},
		{"both change, merge cleanly", reg(text0), reg(textO), reg(textT), reg(textM), Updated, 0, "merged"},
		{"both make the same change", reg(text0), reg(textT), reg(textT), reg(textT), Unchanged, 0, ""},
		{"both change the same line", reg(text0), reg(textX), reg(textT), nil, Conflict, 1, "1 conflict"},
		{"added by the template", nil, nil, reg(textT), reg(textT), Added, 0, "added"},
		{"added on both sides, same", nil, reg(textT), reg(textT), reg(textT), Unchanged, 0, ""},
		{"added on both sides, different text", nil, reg(textO), reg(textT), nil, Conflict, 1, "already has a different file"},
		{"added on both sides, different binary", nil, reg(binO), reg(binT), reg(binO), Conflict, 1, "repository's version is kept"},
		{"removed by the template, untouched", reg(text0), reg(text0), nil, nil, Deleted, 0, "removed"},
		{"removed by the template, changed in the repository", reg(text0), reg(textO), nil, reg(textO), Kept, 0, "kept"},
		{"removed by the template, mode changed in the repository", reg(text0), exe(text0), nil, exe(text0), Kept, 0, "kept"},
		{"deleted by the repository, template unchanged", reg(text0), nil, reg(text0), nil, Unchanged, 0, ""},
		{"deleted by the repository, template changed", reg(text0), nil, reg(textT), nil, Kept, 0, "stays deleted"},
		{"deleted on both sides", reg(text0), nil, nil, nil, Unchanged, 0, ""},
		{"repository's own file", nil, reg(textO), nil, reg(textO), Unchanged, 0, ""},
		{"binary, repository untouched", reg(bin0), reg(bin0), reg(binT), reg(binT), Updated, 0, ""},
		{"binary, template untouched", reg(bin0), reg(binO), reg(bin0), reg(binO), Unchanged, 0, ""},
		{"binary, both changed", reg(bin0), reg(binO), reg(binT), reg(binO), Conflict, 1, "binary"},
		{"binary turned text in the template, repository changed", reg(bin0), reg(binO), reg(textT), reg(binO), Conflict, 1, "binary"},
		{"mode change by the template", reg(text0), reg(text0), exe(text0), exe(text0), Updated, 0, ""},
		{"mode change by the template, content by the repository", reg(text0), reg(textO), exe(text0), exe(textO), Updated, 0, "merged"},
		{"mode and content by the template, content by the repository", reg(text0), reg(textO), exe(textT), exe(textM), Updated, 0, "merged"},
		{"mode change by the repository kept", reg(text0), exe(text0), reg(textT), exe(textT), Updated, 0, ""},
		{"symlink retargeted by the template", link("a"), link("a"), link("b"), link("b"), Updated, 0, ""},
		{"symlink retargeted on both sides", link("a"), link("c"), link("b"), link("c"), Conflict, 1, "symbolic link"},
		{"file turned symlink by the template, edited in the repository", reg(text0), reg(textO), link("x"), reg(textO), Conflict, 1, "symbolic link"},
		{"symlink turned file by the template, repository untouched", link("a"), link("a"), reg(textT), reg(textT), Updated, 0, ""},
		{"added on both sides, file and symlink", nil, reg(textO), link("x"), reg(textO), Conflict, 1, "already has"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			base, ours, theirs := one(tc.base), one(tc.ours), one(tc.theirs)
			// A file only the repository has must pass through untouched.
			ours["README.md"] = tree.File{Data: []byte("# mine\n")}
			oursBefore := clone3(ours)
			res := Trees(base, ours, theirs, testLabels)
			if !ours.Equal(oursBefore) {
				t.Fatal("Trees modified its input")
			}
			if got := res.Tree["README.md"]; string(got.Data) != "# mine\n" {
				t.Fatalf("repository-only file changed: %q", got.Data)
			}
			got, present := res.Tree["f"]
			switch {
			case tc.want == nil && tc.outcome != Conflict && present:
				t.Fatalf("f present (%q), want absent", got.Data)
			case tc.want != nil && (!present || !got.Equal(*tc.want)):
				t.Fatalf("f = %v %q (present %v), want %v %q", got.Mode, got.Data, present, tc.want.Mode, tc.want.Data)
			case tc.want == nil && tc.outcome == Conflict && !strings.Contains(string(got.Data), textC):
				t.Fatalf("conflict without inline markers: %q", got.Data)
			}
			r := report(t, res, "f")
			if r.Outcome != tc.outcome || r.Conflicts != tc.conflicts || !strings.Contains(r.Reason, tc.reason) {
				t.Fatalf("report %+v, want %s with %d conflicts and a reason containing %q", r, tc.outcome, tc.conflicts, tc.reason)
			}
			if (r.Outcome == Unchanged) != (r.Reason == "") {
				t.Fatalf("reason %q for outcome %s", r.Reason, r.Outcome)
			}
			if res.Clean() != (tc.outcome != Conflict) {
				t.Fatalf("Clean() = %v with outcome %s", res.Clean(), tc.outcome)
			}
		})
	}
}

func clone3(t tree.Tree) tree.Tree {
	out := tree.Tree{}
	for p, f := range t {
		out[p] = tree.File{Data: append([]byte{}, f.Data...), Mode: f.Mode}
	}
	return out
}

func report(t *testing.T, res Result, path string) FileReport {
	t.Helper()
	for _, r := range res.Files {
		if r.Path == path {
			return r
		}
	}
	t.Fatalf("no report for %s in %+v", path, res.Files)
	return FileReport{}
}

// TestTreesReport checks the report as a whole: every path of the three
// trees once, in order, and the helpers a pull request body uses.
func TestTreesReport(t *testing.T) {
	t.Parallel()
	base := tree.Tree{
		"a.txt": *reg(text0), "gone.txt": *reg(text0), "kept.txt": *reg(text0),
		"same.txt": *reg(text0), "dup.txt": *reg(text0), "clash.txt": *reg(text0),
	}
	ours := tree.Tree{
		"a.txt": *reg(textO), "gone.txt": *reg(text0), "kept.txt": *reg(textO),
		"same.txt": *reg(text0), "mine.txt": *reg("x\n"), "clash.txt": *reg(textX),
	}
	theirs := tree.Tree{
		"a.txt": *reg(textT), "same.txt": *reg(text0),
		"new.txt": *reg("new\n"), "dup.txt": *reg(textT), "clash.txt": *reg(textT),
	}
	res := Trees(base, ours, theirs, testLabels)
	want := []struct {
		path    string
		outcome Outcome
	}{
		{"a.txt", Updated}, {"clash.txt", Conflict}, {"dup.txt", Kept}, {"gone.txt", Deleted},
		{"kept.txt", Kept}, {"mine.txt", Unchanged}, {"new.txt", Added}, {"same.txt", Unchanged},
	}
	if len(res.Files) != len(want) {
		t.Fatalf("%d reports, want %d: %+v", len(res.Files), len(want), res.Files)
	}
	for i, w := range want {
		if r := res.Files[i]; r.Path != w.path || r.Outcome != w.outcome {
			t.Errorf("report %d = %s %s, want %s %s", i, r.Path, r.Outcome, w.path, w.outcome)
		}
	}
	if got := paths(res.Changed()); got != "a.txt clash.txt dup.txt gone.txt kept.txt new.txt" {
		t.Errorf("Changed() = %s", got)
	}
	if got := paths(res.Conflicts()); got != "clash.txt" {
		t.Errorf("Conflicts() = %s", got)
	}
	if got := paths(res.Kept()); got != "dup.txt kept.txt" {
		t.Errorf("Kept() = %s", got)
	}
	if res.Clean() || res.Count(Updated) != 1 || res.Count(Unchanged) != 2 {
		t.Errorf("Clean() = %v, Count(updated) = %d, Count(unchanged) = %d", res.Clean(), res.Count(Updated), res.Count(Unchanged))
	}
	if got := strings.Join(res.Tree.Paths(), " "); got != "a.txt clash.txt kept.txt mine.txt new.txt same.txt" {
		t.Errorf("merged tree holds %s", got)
	}
	// The merged files are what git merge-file gives.
	for _, p := range []string{"a.txt", "clash.txt"} {
		want, _, _ := gitMergeFile(t, base[p].Data, ours[p].Data, theirs[p].Data, testLabels)
		if string(res.Tree[p].Data) != string(want) {
			t.Errorf("%s = %q, git merge-file gives %q", p, res.Tree[p].Data, want)
		}
	}
}

func paths(rs []FileReport) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Path)
	}
	return strings.Join(out, " ")
}
