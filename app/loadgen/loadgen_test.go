package loadgen

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

func TestRunSignsAndCounts(t *testing.T) {
	t.Parallel()
	var seen atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-Hub-Signature-256") != Sign("s", body) || r.Header.Get("X-GitHub-Delivery") == "" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if seen.Add(1)%10 == 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	var ds []Delivery
	for i := range 100 {
		ds = append(ds, Synchronize(PullRequest{Installation: 1, Owner: "o", Repo: "r", Number: i + 1, HeadSHA: "abc"}))
	}
	res := Run(context.Background(), Options{URL: srv.URL, Secret: "s", Concurrency: 4}, ds)
	if res.Sent != 100 || res.Accepted != 90 || res.Failed != 10 {
		t.Errorf("result %s, want 100 sent, 90 accepted, 10 failed", res)
	}
	if res.P99 < res.P50 || res.Max < res.P99 || res.PerSecond <= 0 {
		t.Errorf("latencies out of order: %s", res)
	}
}
