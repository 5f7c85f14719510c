package render

import "bytes"

// isBinary is the isbinaryfile package's test, which Backstage uses to copy
// a file instead of rendering it: a NUL byte or more than 10% of bytes
// that are neither text nor UTF-8 in the first 512, BOMs meaning text.
// Its protobuf guess is left out.
func isBinary(b []byte) bool {
	n := min(len(b), 512)
	if n == 0 {
		return false
	}
	if hasTextBOM(b) {
		return false
	}
	if bytes.HasPrefix(b[:n], []byte("%PDF-")) {
		return true
	}
	suspicious := 0
	for i := 0; i < n; i++ {
		c := b[i]
		if c == 0 {
			return true
		}
		if (c >= 7 && c <= 14) || (c >= 32 && c <= 127) {
			continue
		}
		if w := utf8SeqLen(b[:n], i); w > 0 {
			i += w - 1
			continue
		}
		suspicious++
		if i >= 32 && suspicious*100/n > 10 {
			return true
		}
	}
	return suspicious*100/n > 10
}

func hasTextBOM(b []byte) bool {
	for _, bom := range [][]byte{{0xef, 0xbb, 0xbf}, {0, 0, 0xfe, 0xff}, {0xff, 0xfe, 0, 0}, {0x84, 0x31, 0x95, 0x33}, {0xfe, 0xff}, {0xff, 0xfe}} {
		if bytes.HasPrefix(b, bom) {
			return true
		}
	}
	return false
}

// utf8SeqLen is the length of the UTF-8 sequence at b[i] as isbinaryfile
// accepts it (lead byte and continuation bytes, wholly inside b), or 0.
func utf8SeqLen(b []byte, i int) int {
	cont := func(j int) bool { return j < len(b) && b[j] >= 0x80 && b[j] <= 0xbf }
	c := b[i]
	switch {
	case c >= 0xc0 && c <= 0xdf && i+1 < len(b) && cont(i+1):
		return 2
	case c >= 0xe0 && c <= 0xef && i+2 < len(b) && cont(i+1) && cont(i+2):
		return 3
	case c >= 0xf0 && c <= 0xf7 && i+3 < len(b) && cont(i+1) && cont(i+2) && cont(i+3):
		return 4
	}
	return 0
}
