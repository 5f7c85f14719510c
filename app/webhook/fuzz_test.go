package webhook

import (
	"net/http"
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
