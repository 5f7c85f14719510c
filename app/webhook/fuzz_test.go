package webhook

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/jobs"
)

// FuzzDelivery sends arbitrary signed bodies and headers: the handler must
// answer with one of its statuses, never panic, and record only JSON
// objects.
func FuzzDelivery(f *testing.F) {
	f.Add("pull_request", "d1", []byte(prBody))
	f.Add("ping", "d2", []byte(`{"zen":"x"}`))
	f.Add("pull_request", "", []byte(`{"action":`))
	f.Add("star", "d3", []byte(`[]`))
	f.Add("pull_request", "d4", []byte(`{"installation":{"id":"x"},"repository":7}`))
	f.Fuzz(func(t *testing.T, event, id string, body []byte) {
		rec := &memRecorder{seen: map[string]jobs.Delivery{}}
		h := New([]byte("k"), rec, routes)
		resp := post(h, "", event, id, string(body), "", "k")
		switch resp.Code {
		case http.StatusOK, http.StatusAccepted, http.StatusBadRequest:
		default:
			if id != "" && event != "" {
				t.Fatalf("status %d for a signed delivery", resp.Code)
			}
		}
		for _, d := range rec.seen {
			if len(d.Payload) == 0 || d.Payload[0] != '{' && d.Payload[0] != ' ' && d.Payload[0] != '\n' && d.Payload[0] != '\t' && d.Payload[0] != '\r' {
				t.Fatalf("recorded a payload that is not an object: %q", d.Payload)
			}
		}
	})
}

// FuzzReadBody reads arbitrary bodies, in reads of arbitrary sizes, with
// or without a Content-Length, under small budgets partly spent: a body
// is either refused for want of room, or read whole with the MAC of what
// was sent; and closing it gives back all it held.
func FuzzReadBody(f *testing.F) {
	f.Add([]byte(prBody), uint16(7), true, uint16(0), uint16(0))
	f.Add(bytes.Repeat([]byte("x"), 5000), uint16(700), false, uint16(3000), uint16(0))
	f.Add(bytes.Repeat([]byte("y"), 9000), uint16(1), true, uint16(0), uint16(60000))
	dir := f.TempDir() // spill files are unlinked as soon as made: nothing builds up
	f.Fuzz(func(t *testing.T, content []byte, step uint16, known bool, memUsed, diskUsed uint16) {
		in := newIntake(dir, testLimits)
		in.mem.used.Store(int64(memUsed) % (testLimits.Memory + 1))
		in.disk.used.Store(int64(diskUsed) % (testLimits.Disk + 1))
		before := [2]int64{in.mem.used.Load(), in.disk.used.Load()}
		length := int64(-1)
		if known {
			length = int64(len(content))
		}
		mac := hmac.New(sha256.New, []byte("k"))
		b, err := in.readBody(&stepReader{content, max(int(step), 1)}, length, mac)
		if err == nil {
			want := hmac.New(sha256.New, []byte("k"))
			want.Write(content)
			got, rerr := b.bytes()
			if rerr != nil || !bytes.Equal(got, content) || !hmac.Equal(mac.Sum(nil), want.Sum(nil)) {
				t.Fatalf("read %d of %d bytes (%v), or a wrong MAC", len(got), len(content), rerr)
			}
		} else if !errors.Is(err, errBusy) {
			t.Fatalf("refused with %v; only want of room refuses a body under 25 MB", err)
		}
		b.close()
		if after := [2]int64{in.mem.used.Load(), in.disk.used.Load()}; after != before {
			t.Fatalf("budgets %v after close, want %v", after, before)
		}
	})
}

// stepReader hands out its bytes step at a time.
type stepReader struct {
	b    []byte
	step int
}

func (s *stepReader) Read(p []byte) (int, error) {
	if len(s.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), s.step)], s.b)
	s.b = s.b[n:]
	return n, nil
}

// FuzzParseSignature: a signature header gives a MAC exactly when it is
// "sha256=" and 64 hexadecimal digits, and then the MAC they spell.
func FuzzParseSignature(f *testing.F) {
	f.Add(sign("k", prBody))
	f.Add("sha256=")
	f.Add("sha1=00")
	f.Add("sha256=" + strings.Repeat("G", 64))
	f.Fuzz(func(t *testing.T, header string) {
		got := parseSignature(header)
		hexSig, ok := strings.CutPrefix(header, "sha256=")
		decoded, err := hex.DecodeString(hexSig)
		valid := ok && len(hexSig) == 64 && err == nil
		switch {
		case valid && !bytes.Equal(got, decoded):
			t.Fatalf("parseSignature(%q) = %x, want %x", header, got, decoded)
		case !valid && got != nil:
			t.Fatalf("parseSignature(%q) = %x for a malformed header", header, got)
		}
	})
}
