package gh

import (
	"context"
	"testing"
	"time"
)

func TestWritesPacedTo80PerMinute(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s, srv := newScript(t, clock, ok200)
	c, _, _ := testTransport(t, clock)
	for range 200 {
		if _, err := do(t, c, context.Background(), "POST", srv.URL+"/repos/o/r/issues/1/comments", `{}`); err != nil {
			t.Fatal(err)
		}
	}
	reqs := s.requests()
	start := reqs[0].at
	if got := reqs[79].at.Sub(start); got != 0 {
		t.Errorf("the first 80 writes waited %v, want a burst with no wait", got)
	}
	if got := reqs[80].at.Sub(start); got != time.Minute {
		t.Errorf("write 81 sent after %v, want 1m", got)
	}
	for i := 80; i < len(reqs); i++ {
		if window := reqs[i].at.Sub(reqs[i-80].at); window < time.Minute {
			t.Fatalf("writes %d..%d within %v: more than 80 in a minute", i-80, i, window)
		}
	}
}

func TestReadsAndTokensAreNotPaced(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	_, srv := newScript(t, clock, ok200)
	c, _, _ := testTransport(t, clock, WithWriteLimits(Limit{Requests: 1, Per: time.Hour}))
	calls := []struct{ method, path string }{
		{"POST", "/app/installations/1/access_tokens"},
		{"POST", "/app/installations/1/access_tokens"},
		{"POST", "/repos/o/r/check-runs"},
		{"GET", "/repos/o/r"},
		{"HEAD", "/repos/o/r"},
	}
	for _, call := range calls {
		if _, err := do(t, c, context.Background(), call.method, srv.URL+call.path, ""); err != nil {
			t.Fatal(err)
		}
	}
	if got := clock.slept(); len(got) != 0 {
		t.Errorf("waits %v, want none: only one write in the hour", got)
	}
}

func TestAllWindowsHold(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s, srv := newScript(t, clock, ok200)
	c, _, _ := testTransport(t, clock,
		WithWriteLimits(Limit{Requests: 2, Per: time.Minute}, Limit{Requests: 3, Per: time.Hour}), WithMaxWait(2*time.Hour))
	for _, method := range []string{"POST", "PATCH", "PUT", "DELETE"} {
		if _, err := do(t, c, context.Background(), method, srv.URL+"/x", ""); err != nil {
			t.Fatal(err)
		}
	}
	want := []time.Duration{0, 0, time.Minute, time.Hour}
	for i, r := range s.requests() {
		if got := r.at.Sub(s.requests()[0].at); got != want[i] {
			t.Errorf("write %d (%s) at +%v, want +%v", i, r.method, got, want[i])
		}
	}
}

func TestPacerDirect(t *testing.T) {
	t.Parallel()
	now := time.Unix(0, 0)
	p := newPacer([]Limit{{Requests: 2, Per: 10 * time.Second}, {Requests: 0, Per: time.Second}})
	steps := []struct {
		at   time.Duration
		want time.Duration
	}{{0, 0}, {1 * time.Second, 0}, {2 * time.Second, 8 * time.Second}, {10 * time.Second, 0}, {10 * time.Second, time.Second}, {11 * time.Second, 0}}
	for i, st := range steps {
		if got := p.take(now.Add(st.at)); got != st.want {
			t.Errorf("step %d at %v: take = %v, want %v", i, st.at, got, st.want)
		}
	}
}
