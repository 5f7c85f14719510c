package gh

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func resetIn(c Clock, d time.Duration) string {
	return "X-RateLimit-Reset: " + strconv.FormatInt(c.Now().Add(d).Unix(), 10)
}

func TestPrimaryLimitWaitsForReset(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	exhausted := respond(http.StatusOK, `{}`, "X-RateLimit-Remaining: 0", resetIn(clock, 100*time.Second), "X-RateLimit-Resource: core")
	s, srv := newScript(t, clock, exhausted, ok200)
	c, _, _ := testTransport(t, clock)
	for range 2 {
		if _, err := do(t, c, context.Background(), "GET", srv.URL+"/repos/o/r", ""); err != nil {
			t.Fatal(err)
		}
	}
	reqs := s.requests()
	if got := reqs[1].at.Sub(reqs[0].at); got != 100*time.Second {
		t.Errorf("second request sent %v after the first, want 100s (the reset)", got)
	}
	// Another resource is not held back by core's exhaustion.
	before := clock.Now()
	if _, err := do(t, c, context.Background(), "GET", srv.URL+"/search/issues", ""); err != nil || clock.Now() != before {
		t.Errorf("search request waited %v (err %v), want no wait", clock.Now().Sub(before), err)
	}
}

func TestRateLimitRefusalsAreRetried(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		refusal  func(Clock) http.HandlerFunc
		wantWait []time.Duration
	}{
		{"primary 403 waits for reset", func(c Clock) http.HandlerFunc {
			return respond(http.StatusForbidden, `{"message":"API rate limit exceeded"}`, "X-RateLimit-Remaining: 0", resetIn(c, 42*time.Second))
		}, []time.Duration{42 * time.Second}},
		{"secondary 403 honours retry-after", func(Clock) http.HandlerFunc {
			return respond(http.StatusForbidden, `{"message":"You have exceeded a secondary rate limit"}`, "Retry-After: 30", "X-RateLimit-Remaining: 4000")
		}, []time.Duration{30 * time.Second}},
		{"429 honours retry-after", func(Clock) http.HandlerFunc {
			return respond(http.StatusTooManyRequests, `{}`, "Retry-After: 7")
		}, []time.Duration{7 * time.Second}},
		{"secondary without retry-after waits a minute", func(Clock) http.HandlerFunc {
			return respond(http.StatusForbidden, `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`)
		}, []time.Duration{time.Minute}},
		{"retry-after as a date", func(c Clock) http.HandlerFunc {
			return respond(http.StatusTooManyRequests, `{}`, "Retry-After: "+c.Now().Add(90*time.Second).UTC().Format(http.TimeFormat))
		}, []time.Duration{90 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newFakeClock()
			s, srv := newScript(t, clock, tt.refusal(clock), ok200)
			c, _, _ := testTransport(t, clock)
			// A POST: a refused request was not acted on, so it is sent again.
			resp, err := do(t, c, context.Background(), "POST", srv.URL+"/repos/o/r/check-runs", `{"name":"x"}`)
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("got %v, %v; want 200 after the wait", resp, err)
			}
			reqs := s.requests()
			if len(reqs) != 2 || reqs[1].body != `{"name":"x"}` {
				t.Fatalf("requests %+v: want the same body twice", reqs)
			}
			if got := clock.slept(); !equalDurations(got, tt.wantWait) {
				t.Errorf("waits %v, want %v", got, tt.wantWait)
			}
		})
	}
}

func TestSecondaryWaitDoublesAndPausesTheInstallation(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	secondary := respond(http.StatusForbidden, `{"message":"You have exceeded a secondary rate limit"}`)
	_, srv := newScript(t, clock, secondary, secondary, ok200)
	c, _, _ := testTransport(t, clock)
	if _, err := do(t, c, context.Background(), "GET", srv.URL+"/a", ""); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{time.Minute, 2 * time.Minute}
	if got := clock.slept(); !equalDurations(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
}

func TestSecondaryLimitHoldsOtherRequests(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	_, srv := newScript(t, clock, respond(http.StatusTooManyRequests, `{}`, "Retry-After: 20"), ok200)
	c, _, _ := testTransport(t, clock)
	// A body that cannot be replayed: the refusal is returned, not retried.
	req, _ := http.NewRequest("POST", srv.URL+"/a", nonReplayable())
	resp, err := c.Do(req)
	if err != nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("got %v, %v; want the 429 itself", resp, err)
	}
	resp.Body.Close()
	if _, err := do(t, c, context.Background(), "GET", srv.URL+"/b", ""); err != nil {
		t.Fatal(err)
	}
	if got := clock.slept(); !equalDurations(got, []time.Duration{20 * time.Second}) {
		t.Errorf("waits %v: the next request should wait out the installation's pause", got)
	}
}

// nonReplayable is a request body http.NewRequest cannot give a GetBody.
func nonReplayable() io.Reader { return io.MultiReader(strings.NewReader(`{"a":1}`)) }

func TestPermissionForbiddenIsNotRetried(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s, srv := newScript(t, clock, respond(http.StatusForbidden, `{"message":"Resource not accessible by integration"}`, "X-RateLimit-Remaining: 4999", resetIn(clock, time.Hour)))
	c, _, _ := testTransport(t, clock)
	resp, err := do(t, c, context.Background(), "GET", srv.URL+"/a", "")
	if err != nil || resp.StatusCode != http.StatusForbidden || len(s.requests()) != 1 {
		t.Errorf("got %v, %v after %d requests; want the 403 after one", resp, err, len(s.requests()))
	}
}

func TestWaitBeyondBoundFailsAtOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		opts []Option
	}{
		{"beyond max wait", func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }, []Option{WithMaxWait(time.Minute)}},
		{"beyond ctx deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), time.Minute)
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newFakeClock()
			reset := clock.Now().Add(2 * time.Minute)
			s, srv := newScript(t, clock, respond(http.StatusOK, `{}`, "X-RateLimit-Remaining: 0", resetIn(clock, 2*time.Minute)))
			c, _, _ := testTransport(t, clock, tt.opts...)
			ctx, cancel := tt.ctx()
			defer cancel()
			do(t, c, ctx, "GET", srv.URL+"/a", "")
			_, err := do(t, c, ctx, "GET", srv.URL+"/a", "")
			var rl *RateLimitedError
			if !errors.As(err, &rl) || rl.Reason != "primary" || !rl.Until.Equal(reset) {
				t.Fatalf("err = %v, want *RateLimitedError until the reset", err)
			}
			if at, ok := RetryAt(err, clock.Now()); !ok || !at.Equal(reset) {
				t.Errorf("RetryAt = %v, %v; want %v", at, ok, reset)
			}
			if len(s.requests()) != 1 || len(clock.slept()) != 0 {
				t.Errorf("sent %d, slept %v: want nothing sent and no wait", len(s.requests()), clock.slept())
			}
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
