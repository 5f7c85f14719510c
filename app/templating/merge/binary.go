package merge

import "bytes"

// firstFewBytes is how much of a file Git looks at to call it binary
// (FIRST_FEW_BYTES in xdiff-interface.c).
const firstFewBytes = 8000

// IsBinary reports whether Git treats data as binary: a NUL byte in its
// first 8000 bytes. git merge-file refuses such files; Trees never
// merges them line by line.
func IsBinary(data []byte) bool {
	if len(data) > firstFewBytes {
		data = data[:firstFewBytes]
	}
	return bytes.IndexByte(data, 0) >= 0
}
