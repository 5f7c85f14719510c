package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/riverqueue/river"
)

// githubPayload is GitHub's recorded pull_request.synchronize payload,
// compacted as GitHub sends it (about 24 KB).
func githubPayload(tb testing.TB) []byte {
	tb.Helper()
	raw, err := os.ReadFile("../../testdata/github/webhooks/pull_request.synchronize.json")
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestPayloadEncoding(t *testing.T) {
	t.Parallel()
	github := githubPayload(t)
	tests := []struct {
		name           string
		payload        []byte
		wantCompressed bool
	}{
		{"github pull_request", github, true},
		{"small", []byte(`{"action":"opened"}`), false},
		{"empty", []byte{}, false},
		{"starts like zstd", append([]byte{0x28, 0xb5, 0x2f, 0xfd}, "x"...), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stored := encodePayload(tt.payload)
			if compressed := bytes.HasPrefix(stored, zstdMagic); compressed != tt.wantCompressed {
				t.Errorf("stored compressed %v, want %v", compressed, tt.wantCompressed)
			}
			got, err := DecodePayload(stored)
			if err != nil || !bytes.Equal(got, tt.payload) {
				t.Errorf("DecodePayload = %.40q, %v; want the payload back", got, err)
			}
		})
	}
	if n := len(encodePayload(github)); n > len(github)/5 {
		t.Errorf("GitHub's %d-byte payload stored in %d bytes, want under a fifth", len(github), n)
	}
}

func TestDecodePayloadRefusesCorruption(t *testing.T) {
	t.Parallel()
	stored := encodePayload(githubPayload(t))
	if _, err := DecodePayload(stored[:len(stored)/2]); err == nil {
		t.Error("a truncated payload decoded")
	}
}

// TestRecordStoresPayloadCompressed: a GitHub-sized payload is stored
// compressed in both files and reads back whole.
func TestRecordStoresPayloadCompressed(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	Handle(q, func(context.Context, *river.Job[testArgs]) error { return nil })
	payload := githubPayload(t)
	pauseDispatch(q)
	if _, err := q.Record(context.Background(), Delivery{ID: "d", Event: "pull_request", Payload: payload}, testArgs{N: 1}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT length(payload) FROM inbox`); n >= len(payload)/5 {
		t.Errorf("inbox keeps %d bytes of a %d-byte payload", n, len(payload))
	}
	resumeDispatch(q)
	settle(t, q)
	var stored []byte
	if err := db.ReadOnly().QueryRow(`SELECT payload FROM deliveries WHERE id = 'd'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if len(stored) >= len(payload)/5 {
		t.Errorf("deliveries keeps %d bytes of a %d-byte payload", len(stored), len(payload))
	}
	if got, err := DecodePayload(stored); err != nil || !bytes.Equal(got, payload) {
		t.Errorf("DecodePayload: %v; payload differs", err)
	}
}

func FuzzPayloadRoundTrip(f *testing.F) {
	f.Add([]byte(`{"action":"opened"}`))
	f.Add([]byte{0x28, 0xb5, 0x2f, 0xfd, 0})
	f.Add(githubPayload(f))
	f.Fuzz(func(t *testing.T, payload []byte) {
		got, err := DecodePayload(encodePayload(payload))
		if err != nil || !bytes.Equal(got, payload) {
			t.Fatalf("round trip of %d bytes: %v", len(payload), err)
		}
	})
}
