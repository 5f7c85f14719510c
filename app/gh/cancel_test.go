package gh

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// TestCancelInterruptsWaits runs on the real clock: each case would wait
// an hour, and cancelling the context must end it at once.
func TestCancelInterruptsWaits(t *testing.T) {
	t.Parallel()
	hour := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	tests := []struct {
		name  string
		opts  []Option
		steps []http.HandlerFunc
		first string // a request made before the one that waits, or ""
		wait  string // the method of the one that waits
	}{
		{"primary reset", nil, []http.HandlerFunc{respond(200, `{}`, "X-RateLimit-Remaining: 0", "X-RateLimit-Reset: "+hour)}, "GET", "POST"},
		{"retry-after", nil, []http.HandlerFunc{respond(429, `{}`, "Retry-After: 3600")}, "", "POST"},
		{"backoff", []Option{WithBackoff(2*time.Hour, 2*time.Hour)}, []http.HandlerFunc{e503}, "", "GET"},
		{"pacing", []Option{WithWriteLimits(WriteLimits{Content: []Limit{{Requests: 1, Per: time.Hour}}})}, []http.HandlerFunc{ok200}, "POST", "POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, srv := newScript(t, realClock{}, tt.steps...)
			c, _, _ := testTransport(t, realClock{}, append([]Option{WithMaxWait(3 * time.Hour)}, tt.opts...)...)
			if tt.first != "" {
				do(t, c, context.Background(), tt.first, srv.URL+"/x", "")
			}
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(20*time.Millisecond, cancel)
			start := time.Now()
			_, err := do(t, c, ctx, tt.wait, srv.URL+"/x", "")
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("returned after %v, want soon after the cancel", d)
			}
		})
	}
}
