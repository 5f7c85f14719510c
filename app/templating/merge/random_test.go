package merge

import (
	"math/rand"
	"strings"
	"testing"
)

// randomText builds a text from a small vocabulary so that lines repeat,
// which is where diff heuristics and hunk sliding matter.
func randomText(r *rand.Rand, vocab []string, n int, eol string, finalNL bool) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(vocab[r.Intn(len(vocab))])
		if i < n-1 || finalNL {
			b.WriteString(eol)
		}
	}
	return []byte(b.String())
}

// mutate applies a few random line edits: replace, insert, delete, and
// occasionally a change of line ending or of the final newline.
func mutate(r *rand.Rand, text []byte, vocab []string) []byte {
	lines := splitLines(text)
	out := make([]string, 0, len(lines)+4)
	for _, l := range lines {
		out = append(out, string(l))
	}
	eol := "\n"
	if len(out) > 0 && strings.HasSuffix(out[0], "\r\n") {
		eol = "\r\n"
	}
	edits := 1 + r.Intn(4)
	for e := 0; e < edits; e++ {
		pos := 0
		if len(out) > 0 {
			pos = r.Intn(len(out) + 1)
		}
		switch r.Intn(6) {
		case 0, 1:
			if pos < len(out) {
				out[pos] = vocab[r.Intn(len(vocab))] + eol
			}
		case 2, 3:
			ins := []string{}
			for k := r.Intn(3); k >= 0; k-- {
				ins = append(ins, vocab[r.Intn(len(vocab))]+eol)
			}
			out = append(out[:pos], append(ins, out[pos:]...)...)
		case 4:
			if pos < len(out) {
				n := min(1+r.Intn(3), len(out)-pos)
				out = append(out[:pos], out[pos+n:]...)
			}
		case 5:
			if n := len(out); n > 0 {
				last := out[n-1]
				if strings.HasSuffix(last, "\n") {
					out[n-1] = strings.TrimRight(last, "\r\n")
				} else {
					out[n-1] = last + eol
				}
			}
		}
	}
	return []byte(strings.Join(out, ""))
}

// TestTextRandomAgainstGit is a seeded property test: Text and
// git merge-file agree, byte for byte and in their conflict count, on
// random texts edited at random on both sides.
func TestTextRandomAgainstGit(t *testing.T) {
	t.Parallel()
	n := 300
	if testing.Short() {
		n = 60
	}
	r := rand.New(rand.NewSource(11))
	vocabs := [][]string{
		{"a", "b", "c", "d", "e", "f", "g", "h"},
		{"}", "{", "", "x := 1", "return nil", "if err != nil {", "// comment", "-", "  - name: x"},
		{"same", "same", "same", "other"},
	}
	for i := 0; i < n; i++ {
		vocab := vocabs[r.Intn(len(vocabs))]
		eol := "\n"
		if r.Intn(5) == 0 {
			eol = "\r\n"
		}
		base := randomText(r, vocab, r.Intn(40), eol, r.Intn(6) != 0)
		ours := mutate(r, base, vocab)
		theirs := mutate(r, base, vocab)
		if r.Intn(8) == 0 {
			theirs = mutate(r, ours, vocab)
		}
		checkAgainstGit(t, base, ours, theirs)
	}
}

// TestTextLargeAgainstGit covers what small texts never reach: diffs
// costly enough for xdiff's cut-offs (the snake heuristics, the
// maximum cost) and many repeated lines, where any departure from Git's
// algorithm shows as different hunks.
func TestTextLargeAgainstGit(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(7))
	vocab := []string{"a", "b", "c", "d", "e", "f", "g", "h", "}", "{", ""}
	other := []string{"x", "y", "z", "w"}
	for i := 0; i < 4; i++ {
		base := randomText(r, vocab, 2000+r.Intn(2000), "\n", true)
		ours, theirs := base, base
		for k := 0; k < 150; k++ {
			ours = mutate(r, ours, vocab)
			theirs = mutate(r, theirs, vocab)
		}
		checkAgainstGit(t, base, ours, theirs)
		checkAgainstGit(t, base, randomText(r, vocab, 3000, "\n", true), theirs)
		checkAgainstGit(t, base, randomText(r, other, 3000, "\n", true), theirs)
	}
}
