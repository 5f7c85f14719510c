package gh

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

var (
	e500 = respond(http.StatusInternalServerError, `{}`)
	e502 = respond(http.StatusBadGateway, `{}`)
	e503 = respond(http.StatusServiceUnavailable, `{}`)
)

func TestServerErrorRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		method     string
		ctx        func(context.Context) context.Context
		body       string
		steps      []http.HandlerFunc
		wantStatus int
		wantSent   int
	}{
		{"GET retried until success", "GET", nil, "", []http.HandlerFunc{e502, e503, ok200}, 200, 3},
		{"PUT is idempotent", "PUT", nil, `{"a":1}`, []http.HandlerFunc{e500, ok200}, 200, 2},
		{"DELETE is idempotent", "DELETE", nil, "", []http.HandlerFunc{e503, ok200}, 200, 2},
		{"retries bounded", "GET", nil, "", []http.HandlerFunc{e500}, 500, 3},
		{"POST not resent after 5xx", "POST", nil, `{"name":"portico / catalog"}`, []http.HandlerFunc{e502, ok200}, 502, 1},
		{"PATCH not resent after 5xx", "PATCH", nil, `{"annotations":[]}`, []http.HandlerFunc{e500, ok200}, 500, 1},
		{"POST marked replay-safe", "POST", ReplaySafe, `{"content":"x"}`, []http.HandlerFunc{e502, ok200}, 200, 2},
		{"501 is not transient", "GET", nil, "", []http.HandlerFunc{respond(501, ``), ok200}, 501, 1},
		{"404 is final", "GET", nil, "", []http.HandlerFunc{respond(404, `{}`), ok200}, 404, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newFakeClock()
			s, srv := newScript(t, clock, tt.steps...)
			c, _, _ := testTransport(t, clock, WithMaxAttempts(3))
			ctx := context.Background()
			if tt.ctx != nil {
				ctx = tt.ctx(ctx)
			}
			resp, err := do(t, c, ctx, tt.method, srv.URL+"/x", tt.body)
			if err != nil || resp.StatusCode != tt.wantStatus {
				t.Fatalf("got %v, %v; want %d", resp, err, tt.wantStatus)
			}
			reqs := s.requests()
			if len(reqs) != tt.wantSent {
				t.Fatalf("sent %d times, want %d", len(reqs), tt.wantSent)
			}
			for _, r := range reqs {
				if r.body != tt.body {
					t.Errorf("body %q sent, want %q each time", r.body, tt.body)
				}
			}
			for i, d := range clock.slept() { // backoff 1s, 2s ... with jitter in [d/2, d]
				if full := time.Second << i; d < full/2 || d > full {
					t.Errorf("wait %d = %v, want within [%v, %v]", i, d, full/2, full)
				}
			}
		})
	}
}

func TestNonReplayableBodyIsNotRetried(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s, srv := newScript(t, clock, e503, ok200)
	c, _, _ := testTransport(t, clock)
	req, _ := http.NewRequest("PUT", srv.URL+"/x", nonReplayable())
	resp, err := c.Do(req)
	if err != nil || resp.StatusCode != 503 || len(s.requests()) != 1 {
		t.Fatalf("got %v, %v after %d sends; want the 503 after one", resp, err, len(s.requests()))
	}
	resp.Body.Close()
}

func TestRetryAfterOnServerError(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	_, srv := newScript(t, clock, respond(503, `{}`, "Retry-After: 20"), ok200)
	c, _, _ := testTransport(t, clock)
	if _, err := do(t, c, context.Background(), "GET", srv.URL+"/x", ""); err != nil {
		t.Fatal(err)
	}
	if got := clock.slept(); !equalDurations(got, []time.Duration{20 * time.Second}) {
		t.Errorf("waits %v, want the 20s retry-after rather than the 1s backoff", got)
	}
}

// hangFirst holds the first request longer than the attempt timeout.
func hangFirst(release <-chan struct{}) []http.HandlerFunc {
	return []http.HandlerFunc{func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}, ok200}
}

func TestTimeouts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method   string
		wantErr  bool
		wantSent int
	}{
		{"GET", false, 2},
		{"POST", true, 1}, // a check run created after all must not be created twice
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()
			release := make(chan struct{})
			defer close(release)
			clock := newFakeClock()
			s, srv := newScript(t, clock, hangFirst(release)...)
			c, _, _ := testTransport(t, clock, WithAttemptTimeout(50*time.Millisecond))
			_, err := do(t, c, context.Background(), tt.method, srv.URL+"/x", `{}`)
			if (err != nil) != tt.wantErr || len(s.requests()) != tt.wantSent {
				t.Fatalf("err %v after %d sends; want error %v after %d", err, len(s.requests()), tt.wantErr, tt.wantSent)
			}
			if tt.wantErr && !errors.Is(err, errAttemptTimeout) {
				t.Errorf("err = %v, want the attempt timeout", err)
			}
		})
	}
}

func TestConnectionRefusedIsRetriedForAnyMethod(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: every dial is refused
	clock := newFakeClock()
	c, _, reg := testTransport(t, clock, WithMaxAttempts(3))
	_, err = do(t, c, context.Background(), "POST", "http://"+addr+"/x", `{}`)
	if err == nil {
		t.Fatal("want an error")
	}
	if got := counter(t, reg, "github_requests_total", "method", "POST", "code", "error"); got != 3 {
		t.Errorf("tries = %v, want 3: GitHub never saw them, so even a POST is resent", got)
	}
}

func TestBrokenConnectionResendsOnlyIdempotent(t *testing.T) {
	t.Parallel()
	for method, want := range map[string]int{"GET": 2, "POST": 1} {
		clock := newFakeClock()
		var n int
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n++
			if n == 1 { // answer nothing: cut the connection
				conn, _, _ := w.(http.Hijacker).Hijack()
				conn.Close()
				return
			}
			w.WriteHeader(200)
		}))
		c, _, _ := testTransport(t, clock)
		do(t, c, context.Background(), method, srv.URL+"/x", `{}`)
		srv.Close()
		if n != want {
			t.Errorf("%s sent %d times after a cut connection, want %d", method, n, want)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	_, tr, _ := testTransport(t, newFakeClock(), WithBackoff(time.Second, 10*time.Second))
	for attempt, full := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 4: 8 * time.Second, 5: 10 * time.Second, 60: 10 * time.Second} {
		for range 50 {
			if d := tr.backoff(attempt); d < full/2 || d > full {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempt, d, full/2, full)
			}
		}
	}
}
