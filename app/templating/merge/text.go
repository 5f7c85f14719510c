package merge

import (
	"bytes"
	"strings"
)

// Labels name the three sides in conflict markers, as
// `git merge-file -L ours -L base -L theirs` takes them. In the default
// (merge) style only Ours and Theirs are written; Base is kept for
// reports and for a diff3 style should one be wanted.
type Labels struct {
	Ours   string // the repository, e.g. "repository"
	Base   string // the template at the repository's version, e.g. "template 1.2.0"
	Theirs string // the template at the new version, e.g. "template 1.3.0"
}

// markerSize is Git's DEFAULT_CONFLICT_MARKER_SIZE.
const markerSize = 7

// oneLine keeps a label on its marker line: Git writes labels verbatim,
// so a line break in one would split the marker; here it becomes a space.
func oneLine(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}

// Text merges the changes from base to theirs into ours, line by line.
// The result is byte-identical to
//
//	git merge-file -p -L <Ours> -L <Base> -L <Theirs> ours base theirs
//
// with Git's default settings (myers diff, zealous-alnum conflict
// level, merge style, 7-character markers), including end-of-line
// handling: conflict markers take CRLF when the surrounding lines do, a
// last line without a newline gets one when a marker follows it. It
// returns the number of conflict hunks, which is git merge-file's exit
// status when below 128. Git refuses binary input; Text does not (it
// merges any bytes as lines), so callers decide about binaries first.
func Text(base, ours, theirs []byte, labels Labels) (merged []byte, conflicts int) {
	// The shortcuts are the ones xdl_merge takes: when a side made no
	// change, the other side is the result as it is.
	switch {
	case bytes.Equal(base, ours):
		return clone(theirs), 0
	case bytes.Equal(base, theirs), bytes.Equal(ours, theirs):
		return clone(ours), 0
	}
	b, o, t := splitLines(base), splitLines(ours), splitLines(theirs)
	e1, s1 := diff(b, o)
	e2, s2 := diff(b, t)
	if len(s1) == 0 {
		return clone(theirs), 0
	}
	if len(s2) == 0 {
		return clone(ours), 0
	}
	m := &merger{
		base: b, ours: o, theirs: t,
		nBase1: e1.a.nrec(), nBase2: e2.a.nrec(),
		name1: oneLine(labels.Ours), name2: oneLine(labels.Theirs),
	}
	hunks := m.combine(s1, s2)
	hunks = m.refine(hunks)
	hunks = m.simplify(hunks)
	return m.fill(hunks, len(base)+len(ours)+len(theirs))
}

func clone(b []byte) []byte {
	return append([]byte{}, b...)
}
