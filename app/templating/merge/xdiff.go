package merge

// This file is a port of the parts of Git's xdiff (xprepare.c, xdiffi.c)
// that `git merge-file` runs: Myers' O(ND) diff with xdiff's heuristics
// (lines without a match discarded up front, multi-match lines discarded
// inside runs of them, the cost cut-off), followed by the change
// compaction that slides hunks to line up with the other file's. Every
// step is kept as Git does it because a different but equally minimal
// diff gives a different merge: byte-identical results need the same
// hunks, not just a correct diff.

const (
	maxCostMin  = 256  // XDL_MAX_COST_MIN
	heurMinCost = 256  // XDL_HEUR_MIN_COST
	snakeCnt    = 20   // XDL_SNAKE_CNT
	kHeur       = 4    // XDL_K_HEUR
	kpdisRun    = 4    // XDL_KPDIS_RUN
	maxEqLimit  = 1024 // XDL_MAX_EQLIMIT
	simscanWin  = 100  // XDL_SIMSCAN_WINDOW
	lineMax     = int(^uint(0) >> 1)
)

// splitLines cuts data into records the way xdiff does: each line keeps
// its "\n"; a last line without one is a record too.
func splitLines(data []byte) [][]byte {
	n := 0
	for _, c := range data {
		if c == '\n' {
			n++
		}
	}
	out := make([][]byte, 0, n+1)
	start := 0
	for i, c := range data {
		if c == '\n' {
			out = append(out, data[start:i+1:i+1])
			start = i + 1
		}
	}
	if start < len(data) {
		out = append(out, data[start:len(data):len(data)])
	}
	return out
}

// xdfile is one side of a diff (xdfile_t).
type xdfile struct {
	recs   [][]byte
	class  []int  // equivalence class of each record (xrecord_t.ha after classification)
	chg    []bool // rchg with one slot of padding on each side: chg[i+1] is line i
	rindex []int  // records kept for the O(ND) pass, by their index in recs
	ha     []int  // classes of the kept records
	dstart int
	dend   int
}

func (f *xdfile) nrec() int { return len(f.recs) }

// changed reports rchg[i]; i may be -1 or nrec, which are never changed.
func (f *xdfile) changed(i int) bool {
	return i >= -1 && i+1 < len(f.chg) && f.chg[i+1]
}

func (f *xdfile) setChanged(i int, v bool) { f.chg[i+1] = v }

// change is one hunk of an edit script (xdchange_t): chg1 lines of the
// first file at i1 became chg2 lines of the second at i2.
type change struct {
	i1, i2     int
	chg1, chg2 int
}

// diffEnv holds both sides of a diff after it ran (xdfenv_t).
type diffEnv struct {
	a, b xdfile
}

// diff runs xdl_do_diff, both xdl_change_compact passes and
// xdl_build_script on two lists of records, as xdl_merge does.
func diff(a, b [][]byte) (*diffEnv, []change) {
	e := &diffEnv{a: xdfile{recs: a}, b: xdfile{recs: b}}
	e.prepare()
	e.myers()
	compact(&e.a, &e.b)
	compact(&e.b, &e.a)
	return e, e.script()
}

// prepare classifies records and trims and reduces the problem
// (xdl_prepare_env with xdl_optimize_ctxs).
func (e *diffEnv) prepare() {
	classes := make(map[string]int, len(e.a.recs)+len(e.b.recs))
	// counts[c][0] and counts[c][1]: occurrences of class c in a and in b.
	var counts [][2]int
	classify := func(f *xdfile, side int) {
		f.class = make([]int, len(f.recs))
		for i, r := range f.recs {
			c, ok := classes[string(r)]
			if !ok {
				c = len(counts)
				classes[string(r)] = c
				counts = append(counts, [2]int{})
			}
			counts[c][side]++
			f.class[i] = c
		}
	}
	classify(&e.a, 0)
	classify(&e.b, 1)
	e.a.chg = make([]bool, e.a.nrec()+2)
	e.b.chg = make([]bool, e.b.nrec()+2)
	e.trimEnds()
	e.cleanupRecords(counts)
}

// trimEnds is xdl_trim_ends: matching lines at both ends stay out of
// the O(ND) pass.
func (e *diffEnv) trimEnds() {
	a, b := &e.a, &e.b
	lim := min(a.nrec(), b.nrec())
	i := 0
	for ; i < lim; i++ {
		if a.class[i] != b.class[i] {
			break
		}
	}
	a.dstart, b.dstart = i, i
	lim -= i
	j := 0
	for ; j < lim; j++ {
		if a.class[a.nrec()-1-j] != b.class[b.nrec()-1-j] {
			break
		}
	}
	a.dend = a.nrec() - j - 1
	b.dend = b.nrec() - j - 1
}

// bogosqrt is xdl_bogosqrt, Git's rough integer square root.
func bogosqrt(n int) int {
	i := 1
	for ; n > 0; n >>= 2 {
		i <<= 1
	}
	return i
}

// cleanupRecords is xdl_cleanup_records: lines with no match on the
// other side are changed outright; lines with very many matches are too
// when they sit inside a run of such lines.
func (e *diffEnv) cleanupRecords(counts [][2]int) {
	reduce := func(f *xdfile, other int) {
		mlim := min(bogosqrt(f.nrec()), maxEqLimit)
		dis := make([]byte, f.nrec()+1)
		for i := f.dstart; i <= f.dend; i++ {
			nm := counts[f.class[i]][other]
			switch {
			case nm == 0:
				dis[i] = 0
			case nm >= mlim:
				dis[i] = 2
			default:
				dis[i] = 1
			}
		}
		n := f.dend - f.dstart + 1
		if n < 0 {
			n = 0
		}
		f.rindex = make([]int, 0, n)
		f.ha = make([]int, 0, n)
		for i := f.dstart; i <= f.dend; i++ {
			if dis[i] == 1 || (dis[i] == 2 && !cleanMmatch(dis, i, f.dstart, f.dend)) {
				f.rindex = append(f.rindex, i)
				f.ha = append(f.ha, f.class[i])
			} else {
				f.setChanged(i, true)
			}
		}
	}
	reduce(&e.a, 1)
	reduce(&e.b, 0)
}

// cleanMmatch is xdl_clean_mmatch.
func cleanMmatch(dis []byte, i, s, e int) bool {
	if i-s > simscanWin {
		s = i - simscanWin
	}
	if e-i > simscanWin {
		e = i + simscanWin
	}
	rdis0, rpdis0 := 0, 1
	for r := 1; i-r >= s; r++ {
		if dis[i-r] == 0 {
			rdis0++
		} else if dis[i-r] == 2 {
			rpdis0++
		} else {
			break
		}
	}
	if rdis0 == 0 {
		return false
	}
	rdis1, rpdis1 := 0, 1
	for r := 1; i+r <= e; r++ {
		if dis[i+r] == 0 {
			rdis1++
		} else if dis[i+r] == 2 {
			rpdis1++
		} else {
			break
		}
	}
	if rdis1 == 0 {
		return false
	}
	rdis1 += rdis0
	rpdis1 += rpdis0
	return rpdis1*kpdisRun < rpdis1+rdis1
}

// myersEnv carries the K vectors and limits of one O(ND) run
// (xdalgoenv_t plus kvdf/kvdb).
type myersEnv struct {
	a, b   *xdfile
	kvdf   []int
	kvdb   []int
	koff   int // index of diagonal 0 in kvdf and kvdb
	mxcost int
}

type splitPoint struct {
	i1, i2       int
	minLo, minHi bool
}

func (e *diffEnv) myers() {
	n1, n2 := len(e.a.ha), len(e.b.ha)
	ndiags := n1 + n2 + 3
	m := &myersEnv{
		a:      &e.a,
		b:      &e.b,
		kvdf:   make([]int, ndiags),
		kvdb:   make([]int, ndiags),
		koff:   n2 + 1,
		mxcost: max(bogosqrt(ndiags), maxCostMin),
	}
	m.recsCmp(0, n1, 0, n2, false)
}

// recsCmp is xdl_recs_cmp: divide and conquer over the box.
func (m *myersEnv) recsCmp(off1, lim1, off2, lim2 int, needMin bool) {
	ha1, ha2 := m.a.ha, m.b.ha
	for off1 < lim1 && off2 < lim2 && ha1[off1] == ha2[off2] {
		off1++
		off2++
	}
	for off1 < lim1 && off2 < lim2 && ha1[lim1-1] == ha2[lim2-1] {
		lim1--
		lim2--
	}
	switch {
	case off1 == lim1:
		for ; off2 < lim2; off2++ {
			m.b.setChanged(m.b.rindex[off2], true)
		}
	case off2 == lim2:
		for ; off1 < lim1; off1++ {
			m.a.setChanged(m.a.rindex[off1], true)
		}
	default:
		spl := m.split(off1, lim1, off2, lim2, needMin)
		m.recsCmp(off1, spl.i1, off2, spl.i2, spl.minLo)
		m.recsCmp(spl.i1, lim1, spl.i2, lim2, spl.minHi)
	}
}

// split is xdl_split: it finds the middle snake of the box, or gives
// up with a good-enough point once the cost passes the heuristic limits.
func (m *myersEnv) split(off1, lim1, off2, lim2 int, needMin bool) splitPoint {
	ha1, ha2 := m.a.ha, m.b.ha
	kvdf, kvdb, ko := m.kvdf, m.kvdb, m.koff
	dmin, dmax := off1-lim2, lim1-off2
	fmid, bmid := off1-off2, lim1-lim2
	odd := (fmid-bmid)&1 != 0
	fmin, fmax := fmid, fmid
	bmin, bmax := bmid, bmid

	kvdf[ko+fmid] = off1
	kvdb[ko+bmid] = lim1

	for ec := 1; ; ec++ {
		gotSnake := false
		if fmin > dmin {
			fmin--
			kvdf[ko+fmin-1] = -1
		} else {
			fmin++
		}
		if fmax < dmax {
			fmax++
			kvdf[ko+fmax+1] = -1
		} else {
			fmax--
		}
		for d := fmax; d >= fmin; d -= 2 {
			var i1 int
			if kvdf[ko+d-1] >= kvdf[ko+d+1] {
				i1 = kvdf[ko+d-1] + 1
			} else {
				i1 = kvdf[ko+d+1]
			}
			prev1 := i1
			i2 := i1 - d
			for i1 < lim1 && i2 < lim2 && ha1[i1] == ha2[i2] {
				i1++
				i2++
			}
			if i1-prev1 > snakeCnt {
				gotSnake = true
			}
			kvdf[ko+d] = i1
			if odd && bmin <= d && d <= bmax && kvdb[ko+d] <= i1 {
				return splitPoint{i1: i1, i2: i2, minLo: true, minHi: true}
			}
		}

		if bmin > dmin {
			bmin--
			kvdb[ko+bmin-1] = lineMax
		} else {
			bmin++
		}
		if bmax < dmax {
			bmax++
			kvdb[ko+bmax+1] = lineMax
		} else {
			bmax--
		}
		for d := bmax; d >= bmin; d -= 2 {
			var i1 int
			if kvdb[ko+d-1] < kvdb[ko+d+1] {
				i1 = kvdb[ko+d-1]
			} else {
				i1 = kvdb[ko+d+1] - 1
			}
			prev1 := i1
			i2 := i1 - d
			for i1 > off1 && i2 > off2 && ha1[i1-1] == ha2[i2-1] {
				i1--
				i2--
			}
			if prev1-i1 > snakeCnt {
				gotSnake = true
			}
			kvdb[ko+d] = i1
			if !odd && fmin <= d && d <= fmax && i1 <= kvdf[ko+d] {
				return splitPoint{i1: i1, i2: i2, minLo: true, minHi: true}
			}
		}

		if needMin {
			continue
		}

		if gotSnake && ec > heurMinCost {
			if p, ok := m.heuristicForward(off1, lim1, off2, lim2, fmin, fmax, fmid, ec); ok {
				return p
			}
			if p, ok := m.heuristicBackward(off1, lim1, off2, lim2, bmin, bmax, bmid, ec); ok {
				return p
			}
		}

		if ec >= m.mxcost {
			return m.furthest(off1, lim1, off2, lim2, fmin, fmax, bmin, bmax)
		}
	}
}

func (m *myersEnv) heuristicForward(off1, lim1, off2, lim2, fmin, fmax, fmid, ec int) (splitPoint, bool) {
	ha1, ha2, ko := m.a.ha, m.b.ha, m.koff
	best := 0
	var p splitPoint
	for d := fmax; d >= fmin; d -= 2 {
		dd := fmid - d
		if d > fmid {
			dd = d - fmid
		}
		i1 := m.kvdf[ko+d]
		i2 := i1 - d
		v := (i1 - off1) + (i2 - off2) - dd
		if v > kHeur*ec && v > best &&
			off1+snakeCnt <= i1 && i1 < lim1 &&
			off2+snakeCnt <= i2 && i2 < lim2 {
			for k := 1; ha1[i1-k] == ha2[i2-k]; k++ {
				if k == snakeCnt {
					best = v
					p.i1, p.i2 = i1, i2
					break
				}
			}
		}
	}
	if best > 0 {
		p.minLo, p.minHi = true, false
		return p, true
	}
	return p, false
}

func (m *myersEnv) heuristicBackward(off1, lim1, off2, lim2, bmin, bmax, bmid, ec int) (splitPoint, bool) {
	ha1, ha2, ko := m.a.ha, m.b.ha, m.koff
	best := 0
	var p splitPoint
	for d := bmax; d >= bmin; d -= 2 {
		dd := bmid - d
		if d > bmid {
			dd = d - bmid
		}
		i1 := m.kvdb[ko+d]
		i2 := i1 - d
		v := (lim1 - i1) + (lim2 - i2) - dd
		if v > kHeur*ec && v > best &&
			off1 < i1 && i1 <= lim1-snakeCnt &&
			off2 < i2 && i2 <= lim2-snakeCnt {
			for k := 0; ha1[i1+k] == ha2[i2+k]; k++ {
				if k == snakeCnt-1 {
					best = v
					p.i1, p.i2 = i1, i2
					break
				}
			}
		}
	}
	if best > 0 {
		p.minLo, p.minHi = false, true
		return p, true
	}
	return p, false
}

// furthest is the "enough is enough" exit of xdl_split: the furthest
// reaching path by i1+i2.
func (m *myersEnv) furthest(off1, lim1, off2, lim2, fmin, fmax, bmin, bmax int) splitPoint {
	ko := m.koff
	fbest, fbest1 := -1, -1
	for d := fmax; d >= fmin; d -= 2 {
		i1 := min(m.kvdf[ko+d], lim1)
		i2 := i1 - d
		if lim2 < i2 {
			i1, i2 = lim2+d, lim2
		}
		if fbest < i1+i2 {
			fbest = i1 + i2
			fbest1 = i1
		}
	}
	bbest, bbest1 := lineMax, lineMax
	for d := bmax; d >= bmin; d -= 2 {
		i1 := max(off1, m.kvdb[ko+d])
		i2 := i1 - d
		if i2 < off2 {
			i1, i2 = off2+d, off2
		}
		if i1+i2 < bbest {
			bbest = i1 + i2
			bbest1 = i1
		}
	}
	if (lim1+lim2)-bbest < fbest-(off1+off2) {
		return splitPoint{i1: fbest1, i2: fbest - fbest1, minLo: true}
	}
	return splitPoint{i1: bbest1, i2: bbest - bbest1, minHi: true}
}

// group is a run of changed lines, or an empty run between two
// unchanged ones (struct xdlgroup).
type group struct{ start, end int }

func groupInit(f *xdfile) group {
	g := group{}
	for f.changed(g.end) {
		g.end++
	}
	return g
}

func groupNext(f *xdfile, g *group) bool {
	if g.end == f.nrec() {
		return false
	}
	g.start = g.end + 1
	for g.end = g.start; f.changed(g.end); g.end++ {
	}
	return true
}

func groupPrevious(f *xdfile, g *group) bool {
	if g.start == 0 {
		return false
	}
	g.end = g.start - 1
	for g.start = g.end; f.changed(g.start - 1); g.start-- {
	}
	return true
}

func groupSlideDown(f *xdfile, g *group) bool {
	if g.end < f.nrec() && f.class[g.start] == f.class[g.end] {
		f.setChanged(g.start, false)
		g.start++
		f.setChanged(g.end, true)
		g.end++
		for f.changed(g.end) {
			g.end++
		}
		return true
	}
	return false
}

func groupSlideUp(f *xdfile, g *group) bool {
	if g.start > 0 && f.class[g.start-1] == f.class[g.end-1] {
		g.start--
		f.setChanged(g.start, true)
		g.end--
		f.setChanged(g.end, false)
		for f.changed(g.start - 1) {
			g.start--
		}
		return true
	}
	return false
}

// compact is xdl_change_compact without the indent heuristic, which
// git merge-file does not turn on: every group slides as far up as it
// can, then down, merging with groups it meets, and settles where it
// lines up with a change in the other file if it can, else at the bottom.
// A broken group sync (a bug in Git, a BUG() there) cannot happen on
// records from diff; it stops compaction rather than panicking.
func compact(f, o *xdfile) {
	g := groupInit(f)
	og := groupInit(o)
	for {
		if g.end != g.start {
			var groupsize, earliestEnd int
			endMatchingOther := -1
			for {
				groupsize = g.end - g.start
				endMatchingOther = -1
				for groupSlideUp(f, &g) {
					if !groupPrevious(o, &og) {
						return
					}
				}
				earliestEnd = g.end
				if og.end > og.start {
					endMatchingOther = g.end
				}
				for groupSlideDown(f, &g) {
					if !groupNext(o, &og) {
						return
					}
					if og.end > og.start {
						endMatchingOther = g.end
					}
				}
				if groupsize == g.end-g.start {
					break
				}
			}
			if g.end != earliestEnd && endMatchingOther != -1 {
				for og.end == og.start {
					if !groupSlideUp(f, &g) || !groupPrevious(o, &og) {
						return
					}
				}
			}
		}
		if !groupNext(f, &g) {
			break
		}
		if !groupNext(o, &og) {
			return
		}
	}
}

// script is xdl_build_script: the hunks in order.
func (e *diffEnv) script() []change {
	var rev []change
	a, b := &e.a, &e.b
	for i1, i2 := a.nrec(), b.nrec(); i1 >= 0 || i2 >= 0; i1, i2 = i1-1, i2-1 {
		if a.changed(i1-1) || b.changed(i2-1) {
			l1, l2 := i1, i2
			for a.changed(i1 - 1) {
				i1--
			}
			for b.changed(i2 - 1) {
				i2--
			}
			rev = append(rev, change{i1: i1, i2: i2, chg1: l1 - i1, chg2: l2 - i2})
		}
	}
	out := make([]change, len(rev))
	for i, c := range rev {
		out[len(rev)-1-i] = c
	}
	return out
}
