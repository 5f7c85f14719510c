package jobs

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// zstdMagic starts every zstd frame, and no JSON text: it tells a
// compressed stored payload from one kept as it came.
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// Both are safe for concurrent EncodeAll and DecodeAll calls, and start
// no goroutines of their own when given no stream.
var (
	payloadEncoder = sync.OnceValue(func() *zstd.Encoder {
		e, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest)) // fixed options cannot fail
		return e
	})
	payloadDecoder = sync.OnceValue(func() *zstd.Decoder {
		d, _ := zstd.NewReader(nil) // no options: cannot fail
		return d
	})
)

// encodePayload returns payload as the inbox and deliveries.payload keep
// it: zstd at its fastest level. Bytes written are what durable acceptance
// pays for, twice per delivery (the inbox, then portico.db), each time to
// the WAL and again at the checkpoint, and GitHub's 24 KB pull_request
// payloads shrink to about 2.3 KB, one page without an overflow chain,
// in some 20 µs (stdlib gzip takes 50 µs for 2.8 KB). A payload that
// compression does not shrink is kept as it came, unless it starts like a
// zstd frame itself, which would make it ambiguous.
func encodePayload(payload []byte) []byte {
	stored := payloadEncoder().EncodeAll(payload, make([]byte, 0, len(payload)/4+64))
	if len(stored) >= len(payload) && !bytes.HasPrefix(payload, zstdMagic) {
		return payload
	}
	return stored
}

// DecodePayload returns the payload a delivery was recorded with from
// the form stored in deliveries.payload (or the inbox): every reader of
// that column goes through it. Payloads are stored as a zstd frame when
// that makes them smaller, and as they came otherwise (as databases
// written before compression hold them); `zstd -d` reads the former too.
func DecodePayload(stored []byte) ([]byte, error) {
	if !bytes.HasPrefix(stored, zstdMagic) {
		return stored, nil
	}
	payload, err := payloadDecoder().DecodeAll(stored, nil)
	if err != nil {
		return nil, fmt.Errorf("decode payload: %w", err)
	}
	return payload, nil
}
