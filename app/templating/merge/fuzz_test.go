package merge

import (
	"bytes"
	"testing"
)

// hasMarker reports whether data has a line that starts like a conflict
// marker.
func hasMarker(data []byte) bool {
	for _, l := range splitLines(data) {
		for _, m := range [][]byte{[]byte("<<<<<<<"), []byte("======="), []byte(">>>>>>>")} {
			if bytes.HasPrefix(l, m) {
				return true
			}
		}
	}
	return false
}

// FuzzText: Text never panics; a side that made no change yields the
// other side exactly; a clean merge adds no markers, and a conflicted
// one shows each conflict with its markers.
func FuzzText(f *testing.F) {
	f.Add([]byte("a\nb\nc\n"), []byte("a\nB\nc\n"), []byte("a\nb\nC\n"))
	f.Add([]byte("a\r\nb\r\n"), []byte("x\r\nb\r\n"), []byte("y\r\nb"))
	f.Add([]byte(""), []byte("a"), []byte("b"))
	f.Add([]byte("x\nx\nx\n"), []byte("x\ny\nx\nx\n"), []byte("x\nx\nz\nx\n"))
	f.Add([]byte("{\n}\n\n{\n}\n"), []byte("{\n1\n}\n\n{\n}\n"), []byte("{\n}\n\n{\n2\n}\n"))
	f.Fuzz(func(t *testing.T, base, ours, theirs []byte) {
		got, n := Text(base, ours, theirs, testLabels)
		if y, n := Text(base, base, theirs, testLabels); n != 0 || !bytes.Equal(y, theirs) {
			t.Fatalf("Text(x, x, y) = %q (%d conflicts), want y", y, n)
		}
		if y, n := Text(base, ours, base, testLabels); n != 0 || !bytes.Equal(y, ours) {
			t.Fatalf("Text(x, y, x) = %q (%d conflicts), want y", y, n)
		}
		if y, n := Text(base, ours, ours, testLabels); n != 0 || !bytes.Equal(y, ours) {
			t.Fatalf("Text(x, y, y) = %q (%d conflicts), want y", y, n)
		}
		if hasMarker(base) || hasMarker(ours) || hasMarker(theirs) {
			return
		}
		if n == 0 && hasMarker(got) {
			t.Fatalf("clean merge with markers: %q", got)
		}
		opening, closing := 0, 0
		for _, l := range splitLines(got) {
			if bytes.HasPrefix(l, []byte("<<<<<<< "+testLabels.Ours)) {
				opening++
			}
			if bytes.HasPrefix(l, []byte(">>>>>>> "+testLabels.Theirs)) {
				closing++
			}
		}
		if opening != n || closing != n {
			t.Fatalf("%d conflicts but %d opening and %d closing markers: %q", n, opening, closing, got)
		}
	})
}

// FuzzTextAgainstGit compares Text with git merge-file on whatever the
// fuzzer finds (slow: one git run per input, so run it on purpose with
// -fuzz; its seeds run with the other tests).
func FuzzTextAgainstGit(f *testing.F) {
	f.Add([]byte("a\nb\nc\n"), []byte("a\nB\nc\n"), []byte("a\nb\nC\n"))
	f.Add([]byte("a\r\nb\r\nc"), []byte("a\r\nB\r\nc"), []byte("a\r\nb\r\nC\n"))
	f.Add([]byte("1\n2\n3\n4\n5\n"), []byte("x\n2\n3\ny\n5\n"), []byte("X\n2\n3\nY\n5\n"))
	f.Fuzz(func(t *testing.T, base, ours, theirs []byte) {
		if IsBinary(base) || IsBinary(ours) || IsBinary(theirs) {
			return
		}
		want, wantN, _ := gitMergeFile(t, base, ours, theirs, testLabels)
		got, gotN := Text(base, ours, theirs, testLabels)
		if !bytes.Equal(got, want) || min(gotN, 127) != wantN {
			t.Fatalf("base %q ours %q theirs %q:\ngit  (%d) %q\nText (%d) %q", base, ours, theirs, wantN, want, gotN, got)
		}
	})
}
