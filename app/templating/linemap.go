package templating

import (
	"slices"
	"strings"
)

// maxAlignCells bounds the table of the line alignment: files whose
// changed middles are larger map proportionally instead.
const maxAlignCells = 1 << 20

// lineMap maps each line of a rendered file to the line of its skeleton
// it comes from. Lines the render left alone are aligned with a longest
// common subsequence of the two texts. Between two aligned lines (a gap:
// lines with expressions, blocks), a rendered line maps to the next
// skeleton line of the gap whose text before its first tag starts it
// ("  name: " for "  name: ${{ values.name }}"), and otherwise to the
// skeleton line the line before it mapped to: a value that spans lines,
// a loop's repeated body. A render that changes lines in place, the
// usual ${{ }} substitution, so maps every line exactly.
func lineMap(skeleton, rendered []byte) []int {
	a, b := splitLines(skeleton), splitLines(rendered)
	out := make([]int, len(b))
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		out[p] = p + 1
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		out[len(b)-1-s] = len(a) - s
		s++
	}
	ma, mb := a[p:len(a)-s], b[p:len(b)-s]
	pairs := align(ma, mb)
	pairs = append(pairs, [2]int{len(ma), len(mb)})
	prevA, prevB := -1, -1
	for _, pr := range pairs {
		mapGap(out[p+prevB+1:p+pr[1]], ma[prevA+1:pr[0]], mb[prevB+1:pr[1]], p+prevA+1)
		if pr[1] < len(mb) {
			out[p+pr[1]] = p + pr[0] + 1
		}
		prevA, prevB = pr[0], pr[1]
	}
	for i := range out {
		out[i] = min(max(out[i], 1), max(len(a), 1))
	}
	return out
}

// mapGap maps the rendered lines rend of a gap to its skeleton lines
// skel, the first of which is line first+1; out[i] is rend[i]'s.
func mapGap(out []int, skel, rend []string, first int) {
	if len(rend) == len(skel) && !slices.ContainsFunc(skel, hasBlock) {
		for i := range out {
			out[i] = first + i + 1 // expressions substituted in place
		}
		return
	}
	cursor, last := 0, first // last: the line mapped to before, 1-based
	for i, r := range rend {
		j := cursor
		for j < len(skel) && !startsWithStatic(r, skel[j]) {
			j++
		}
		switch {
		case j < len(skel):
			last, cursor = first+j+1, j+1
		case i == 0 && len(skel) > 0:
			last, cursor = first+1, 1
		}
		out[i] = last
	}
}

func hasBlock(line string) bool { return strings.Contains(line, "{%") }

// startsWithStatic reports whether rendered starts with the text of the
// skeleton line before its first tag, when that text is more than
// blanks.
func startsWithStatic(rendered, skel string) bool {
	static := skel
	for _, tag := range []string{"${{", "{%", "{#", "{{"} {
		if i := strings.Index(static, tag); i >= 0 {
			static = static[:i]
		}
	}
	return strings.TrimSpace(static) != "" && strings.HasPrefix(rendered, static)
}

func splitLines(b []byte) []string {
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// align returns the index pairs of a longest common subsequence of a
// and b, in order; none when the table would be over maxAlignCells.
func align(a, b []string) [][2]int {
	n, m := len(a), len(b)
	if n == 0 || m == 0 || n*m > maxAlignCells {
		return nil
	}
	// l[i][j] is the length of an LCS of a[i:] and b[j:].
	l := make([][]int32, n+1)
	for i := range l {
		l[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case a[i] == b[j]:
				l[i][j] = l[i+1][j+1] + 1
			case l[i+1][j] >= l[i][j+1]:
				l[i][j] = l[i+1][j]
			default:
				l[i][j] = l[i][j+1]
			}
		}
	}
	var out [][2]int
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			out = append(out, [2]int{i, j})
			i++
			j++
		case l[i+1][j] >= l[i][j+1]:
			i++
		default:
			j++
		}
	}
	return out
}
