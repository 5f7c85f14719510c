package merge

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/tree"
)

// renderSized makes a file of render size (about 3 KB): YAML-, Go- and
// Markdown-like lines with repeats, as a skeleton renders.
func renderSized(r *rand.Rand, name string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n", name)
	for i := 0; b.Len() < 3000; i++ {
		switch r.Intn(6) {
		case 0:
			b.WriteString("\n")
		case 1:
			fmt.Fprintf(&b, "  key_%d: value-%d\n", i, r.Intn(50))
		case 2:
			b.WriteString("}\n")
		case 3:
			fmt.Fprintf(&b, "func step%d(ctx context.Context) error {\n", i)
		case 4:
			b.WriteString("\treturn nil\n")
		default:
			fmt.Fprintf(&b, "// line %d of %s\n", i, name)
		}
	}
	return []byte(b.String())
}

// editLines replaces n random lines with text tagged by who.
func editLines(r *rand.Rand, data []byte, n int, who string) []byte {
	lines := strings.SplitAfter(string(data), "\n")
	for k := 0; k < n; k++ {
		i := r.Intn(len(lines) - 1)
		lines[i] = fmt.Sprintf("edited by %s %d\n", who, k)
	}
	return []byte(strings.Join(lines, ""))
}

// upgradeTrees generates one repository's upgrade: a 40-file render at
// the old version, the new version with a handful of template edits (5
// files changed, one added, one removed), and the repository with its
// own edits in 8 files, 3 of which the template also changed.
func upgradeTrees(seed int64) (base, ours, theirs tree.Tree) {
	r := rand.New(rand.NewSource(seed))
	base, ours, theirs = tree.Tree{}, tree.Tree{}, tree.Tree{}
	for i := 0; i < 40; i++ {
		p := fmt.Sprintf("dir%d/file%02d.yaml", i%5, i)
		f := tree.File{Data: renderSized(r, p)}
		base[p], ours[p], theirs[p] = f, f, f
	}
	for i := 0; i < 5; i++ { // the template's changes
		p := fmt.Sprintf("dir%d/file%02d.yaml", i%5, i)
		theirs[p] = tree.File{Data: editLines(r, base[p].Data, 3, "template")}
	}
	theirs["dir0/new.yaml"] = tree.File{Data: renderSized(r, "new")}
	delete(theirs, "dir4/file39.yaml")
	for i := 2; i < 10; i++ { // the repository's changes
		p := fmt.Sprintf("dir%d/file%02d.yaml", i%5, i)
		ours[p] = tree.File{Data: editLines(r, base[p].Data, 2, "owner")}
	}
	return base, ours, theirs
}

// BenchmarkTrees merges one generated repository's upgrade. Planning
// 1,000 repositories in 10 s on two cores gives each 20 ms of CPU for
// rendering twice, merging and diffing; this is the merge's share.
func BenchmarkTrees(b *testing.B) {
	base, ours, theirs := upgradeTrees(1)
	res := Trees(base, ours, theirs, testLabels)
	b.ReportMetric(float64(len(res.Changed())), "changed/op")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Trees(base, ours, theirs, testLabels)
	}
}

// BenchmarkTreesAllChanged is the worst case: the template and the
// repository both edited every one of the 40 files.
func BenchmarkTreesAllChanged(b *testing.B) {
	r := rand.New(rand.NewSource(2))
	base, ours, theirs := upgradeTrees(2)
	for p, f := range base {
		ours[p] = tree.File{Data: editLines(r, f.Data, 3, "owner")}
		theirs[p] = tree.File{Data: editLines(r, f.Data, 3, "template")}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Trees(base, ours, theirs, testLabels)
	}
}

// TestUpgradeTreesAgainstGit checks the benchmark's merges are real
// ones: every file merged from all three sides equals git merge-file.
func TestUpgradeTreesAgainstGit(t *testing.T) {
	t.Parallel()
	base, ours, theirs := upgradeTrees(1)
	res := Trees(base, ours, theirs, testLabels)
	if res.Count(Added) != 1 || res.Count(Deleted) != 1 || len(res.Changed()) < 6 {
		t.Fatalf("unexpected outcomes: %+v", res.Changed())
	}
	for _, p := range base.Paths() {
		o, inO := ours[p]
		th, inT := theirs[p]
		if !inO || !inT {
			continue
		}
		want, _, _ := gitMergeFile(t, base[p].Data, o.Data, th.Data, testLabels)
		if got := res.Tree[p].Data; string(got) != string(want) {
			t.Fatalf("%s differs from git merge-file", p)
		}
	}
}
