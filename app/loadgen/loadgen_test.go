package loadgen

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
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
		ds = append(ds, Synchronize(PullRequest{Installation: 1, Owner: "o", Repo: "r", Number: i + 1, HeadSHA: "abc"}, PayloadSmall))
	}
	res := Run(context.Background(), Options{URL: srv.URL, Secret: "s", Concurrency: 4}, ds)
	if res.Sent != 100 || res.Accepted != 90 || res.Failed != 10 {
		t.Errorf("result %s, want 100 sent, 90 accepted, 10 failed", res)
	}
	if res.P99 < res.P50 || res.Max < res.P99 || res.PerSecond <= 0 {
		t.Errorf("latencies out of order: %s", res)
	}
	if res.FromDue || !strings.Contains(res.String(), "from sending") {
		t.Errorf("closed loop run reported as %s", res)
	}
}

// TestOpenLoopCountsFromDue: with one connection and a server that takes
// 20 ms, deliveries due every millisecond queue in the sender; their
// latency must include that wait, not only the 20 ms of service.
func TestOpenLoopCountsFromDue(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	ds := make([]Delivery, 10)
	for i := range ds {
		ds[i] = Synchronize(PullRequest{Installation: 1, Owner: "o", Repo: "r", Number: 1, HeadSHA: "abc"}, PayloadSmall)
	}
	res := Run(context.Background(), Options{URL: srv.URL, Secret: "s", Concurrency: 1, Rate: 1000}, ds)
	if !res.FromDue || !strings.Contains(res.String(), "from due time") {
		t.Errorf("open loop run reported as %s", res)
	}
	// The last is due 9 ms in but sent after nine 20 ms answers.
	if res.Max < 150*time.Millisecond {
		t.Errorf("max latency %s: the sender's queueing was not counted", res.Max)
	}
}
