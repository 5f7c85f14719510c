package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/jobs"
)

// nopRecorder records nothing, so that BenchmarkIntake measures the
// handler's own work.
type nopRecorder struct{}

func (nopRecorder) Record(context.Context, jobs.Delivery, ...river.JobArgs) (bool, error) {
	return false, nil
}

// BenchmarkIntake measures the handler's intake of a signed delivery of
// GitHub's recorded pull_request payload (23.7 KB compact): headers,
// body, signature, envelope, routing; not recording.
func BenchmarkIntake(b *testing.B) {
	raw, err := os.ReadFile("../../testdata/github/webhooks/pull_request.synchronize.json")
	if err != nil {
		b.Fatal(err)
	}
	var body bytes.Buffer
	if err := json.Compact(&body, raw); err != nil {
		b.Fatal(err)
	}
	sig := sign("k", body.String())
	h := New([]byte("k"), nopRecorder{}, routes)
	b.SetBytes(int64(body.Len()))
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/webhooks", bytes.NewReader(body.Bytes()))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-GitHub-Event", "pull_request")
		r.Header.Set("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")
		r.Header.Set("X-Hub-Signature-256", sig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusAccepted {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
