package merge

// This file ports xdl_do_merge and its helpers from Git's xdiff/xmerge.c
// for the settings git merge-file uses by default: level
// XDL_MERGE_ZEALOUS_ALNUM, style 0 (merge), no favouring of a side.

// Modes of a hunk (xdmerge_t.mode).
const (
	modeConflict  = 0
	modeOurs      = 1 // no conflict, take side 1 (ours)
	modeTheirs    = 2 // no conflict, take side 2 (theirs)
	modeIdentical = 4 // a conflict refined away: both sides made the same change
)

// hunk is one region of the merge (xdmerge_t): i1/chg1 in ours, i2/chg2
// in theirs, i0/chg0 in base.
type hunk struct {
	mode     int
	i0, chg0 int
	i1, chg1 int
	i2, chg2 int
}

type merger struct {
	base, ours, theirs [][]byte
	nBase1, nBase2     int // base's record count as each diff saw it
	name1, name2       string
}

// appendMerge is xdl_append_merge: a hunk that touches or overlaps the
// previous one joins it, as a conflict when their modes differ.
func appendMerge(hs []hunk, h hunk) []hunk {
	if n := len(hs); n > 0 {
		m := &hs[n-1]
		if h.i1 <= m.i1+m.chg1 || h.i2 <= m.i2+m.chg2 {
			if h.mode != m.mode {
				m.mode = modeConflict
			}
			m.chg0 = h.i0 + h.chg0 - m.i0
			m.chg1 = h.i1 + h.chg1 - m.i1
			m.chg2 = h.i2 + h.chg2 - m.i2
			return hs
		}
	}
	return append(hs, h)
}

// combine walks both edit scripts (base->ours, base->theirs) in step,
// as the first half of xdl_do_merge does.
func (m *merger) combine(x1, x2 []change) []hunk {
	var hs []hunk
	for len(x1) > 0 && len(x2) > 0 {
		a, b := x1[0], x2[0]
		if a.i1+a.chg1 < b.i1 {
			hs = appendMerge(hs, hunk{mode: modeOurs,
				i0: a.i1, chg0: a.chg1,
				i1: a.i2, chg1: a.chg2,
				i2: b.i2 - b.i1 + a.i1, chg2: a.chg1})
			x1 = x1[1:]
			continue
		}
		if b.i1+b.chg1 < a.i1 {
			hs = appendMerge(hs, hunk{mode: modeTheirs,
				i0: b.i1, chg0: b.chg1,
				i1: a.i2 - a.i1 + b.i1, chg1: b.chg1,
				i2: b.i2, chg2: b.chg2})
			x2 = x2[1:]
			continue
		}
		if a.i1 != b.i1 || a.chg1 != b.chg1 || a.chg2 != b.chg2 ||
			!m.sameLines(a.i2, b.i2, a.chg2) {
			off := a.i1 - b.i1
			ffo := off + a.chg1 - b.chg1
			i0, i1, i2 := a.i1, a.i2, b.i2
			if off > 0 {
				i0 -= off
				i1 -= off
			} else {
				i2 += off
			}
			chg0 := a.i1 + a.chg1 - i0
			chg1 := a.i2 + a.chg2 - i1
			chg2 := b.i2 + b.chg2 - i2
			if ffo < 0 {
				chg0 -= ffo
				chg1 -= ffo
			} else {
				chg2 += ffo
			}
			hs = appendMerge(hs, hunk{mode: modeConflict,
				i0: i0, chg0: chg0, i1: i1, chg1: chg1, i2: i2, chg2: chg2})
		}
		e1 := a.i1 + a.chg1
		e2 := b.i1 + b.chg1
		if e1 >= e2 {
			x2 = x2[1:]
		}
		if e2 >= e1 {
			x1 = x1[1:]
		}
	}
	for _, a := range x1 {
		hs = appendMerge(hs, hunk{mode: modeOurs,
			i0: a.i1, chg0: a.chg1,
			i1: a.i2, chg1: a.chg2,
			i2: a.i1 + len(m.theirs) - m.nBase2, chg2: a.chg1})
	}
	for _, b := range x2 {
		hs = appendMerge(hs, hunk{mode: modeTheirs,
			i0: b.i1, chg0: b.chg1,
			i1: b.i1 + len(m.ours) - m.nBase1, chg1: b.chg1,
			i2: b.i2, chg2: b.chg2})
	}
	return hs
}

// sameLines is xdl_merge_cmp_lines: n lines of ours at i1 equal n lines
// of theirs at i2.
func (m *merger) sameLines(i1, i2, n int) bool {
	for k := 0; k < n; k++ {
		if string(m.ours[i1+k]) != string(m.theirs[i2+k]) {
			return false
		}
	}
	return true
}

// refine is xdl_refine_conflicts: a conflict's two sides are diffed
// against each other so that only the lines that really differ stay in
// conflict; sides that turn out equal are no conflict at all.
func (m *merger) refine(hs []hunk) []hunk {
	out := make([]hunk, 0, len(hs))
	for _, h := range hs {
		if h.mode != modeConflict || h.chg1 == 0 || h.chg2 == 0 {
			out = append(out, h)
			continue
		}
		_, s := diff(m.ours[h.i1:h.i1+h.chg1], m.theirs[h.i2:h.i2+h.chg2])
		if len(s) == 0 {
			h.mode = modeIdentical
			out = append(out, h)
			continue
		}
		for k, c := range s {
			r := hunk{mode: modeConflict,
				i1: c.i1 + h.i1, chg1: c.chg1,
				i2: c.i2 + h.i2, chg2: c.chg2}
			if k == 0 {
				r.i0, r.chg0 = h.i0, h.chg0
			}
			out = append(out, r)
		}
	}
	return out
}

// isAlnum is Git's sane_ctype isalnum: ASCII letters and digits only.
func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func (m *merger) linesContainAlnum(i, n int) bool {
	for ; n > 0; n, i = n-1, i+1 {
		for _, c := range m.ours[i] {
			if isAlnum(c) {
				return true
			}
		}
	}
	return false
}

// simplify is xdl_simplify_non_conflicts with simplify_if_no_alnum:
// two conflicts separated by three lines or fewer, or by lines with no
// letter or digit, become one conflict.
func (m *merger) simplify(hs []hunk) []hunk {
	if len(hs) == 0 {
		return hs
	}
	out := []hunk{hs[0]}
	for _, next := range hs[1:] {
		cur := &out[len(out)-1]
		begin := cur.i1 + cur.chg1
		end := next.i1
		if cur.mode != modeConflict || next.mode != modeConflict ||
			(end-begin > 3 && m.linesContainAlnum(begin, end-begin)) {
			out = append(out, next)
			continue
		}
		cur.chg1 = next.i1 + next.chg1 - cur.i1
		cur.chg2 = next.i2 + next.chg2 - cur.i2
	}
	return out
}

// eolCRLF is is_eol_crlf: 1 when line i of recs ends in CRLF (for a last
// line without an end of line, the line before it), 0 when in LF, -1
// when it cannot tell.
func eolCRLF(recs [][]byte, i int) int {
	crlf := func(r []byte) int {
		if len(r) > 1 && r[len(r)-2] == '\r' {
			return 1
		}
		return 0
	}
	n := len(recs)
	if i < n-1 {
		return crlf(recs[i])
	}
	if n == 0 {
		return -1
	}
	if r := recs[i]; len(r) > 0 && r[len(r)-1] == '\n' {
		return crlf(r)
	}
	if i == 0 {
		return -1
	}
	return crlf(recs[i-1])
}

// crNeeded is is_cr_needed: markers and added line ends take CRLF when
// the lines before the hunk on both sides, and base's first line, do.
func (m *merger) crNeeded(h hunk) bool {
	prev := func(i int) int {
		if i > 0 {
			return i - 1
		}
		return 0
	}
	needs := eolCRLF(m.ours, prev(h.i1))
	if needs != 0 {
		needs = eolCRLF(m.theirs, prev(h.i2))
	}
	if needs != 0 {
		needs = eolCRLF(m.base, 0)
	}
	return needs > 0
}

// copyRecs is xdl_recs_copy: count records from i, with a line end
// added after the last one when addNL asks and it has none.
func copyRecs(dst []byte, recs [][]byte, i, count int, needsCR, addNL bool) []byte {
	if count < 1 {
		return dst
	}
	for _, r := range recs[i : i+count] {
		dst = append(dst, r...)
	}
	if addNL {
		last := recs[i+count-1]
		if len(last) == 0 || last[len(last)-1] != '\n' {
			if needsCR {
				dst = append(dst, '\r')
			}
			dst = append(dst, '\n')
		}
	}
	return dst
}

func marker(dst []byte, c byte, name string, withName, needsCR bool) []byte {
	for k := 0; k < markerSize; k++ {
		dst = append(dst, c)
	}
	if withName {
		dst = append(dst, ' ')
		dst = append(dst, name...)
	}
	if needsCR {
		dst = append(dst, '\r')
	}
	return append(dst, '\n')
}

// fill is xdl_fill_merge_buffer in merge style.
func (m *merger) fill(hs []hunk, sizeHint int) ([]byte, int) {
	out := make([]byte, 0, sizeHint)
	conflicts := 0
	i := 0
	for _, h := range hs {
		switch {
		case h.mode == modeConflict:
			conflicts++
			cr := m.crNeeded(h)
			out = copyRecs(out, m.ours, i, h.i1-i, false, false)
			out = marker(out, '<', m.name1, true, cr)
			out = copyRecs(out, m.ours, h.i1, h.chg1, cr, true)
			out = marker(out, '=', "", false, cr)
			out = copyRecs(out, m.theirs, h.i2, h.chg2, cr, true)
			out = marker(out, '>', m.name2, true, cr)
		case h.mode&3 != 0:
			out = copyRecs(out, m.ours, i, h.i1-i, false, false)
			if h.mode&1 != 0 {
				out = copyRecs(out, m.ours, h.i1, h.chg1, m.crNeeded(h), h.mode&2 != 0)
			}
			if h.mode&2 != 0 {
				out = copyRecs(out, m.theirs, h.i2, h.chg2, false, false)
			}
		default:
			continue
		}
		i = h.i1 + h.chg1
	}
	out = copyRecs(out, m.ours, i, len(m.ours)-i, false, false)
	return out, conflicts
}
