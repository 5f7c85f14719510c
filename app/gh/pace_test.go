package gh

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"
)

// waiting counts the writes waiting in every lane.
func (b *writeBudget) waiting() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, l := range b.lanes {
		for p := range numPriorities {
			if l != nil {
				n += l.waiting[p].len()
			}
		}
	}
	return n
}

func TestWritesPacedByKindAndPriority(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		path  string
		prio  Priority
		burst int // sends a minute: the whole limit, or the bulk share
	}{
		{"content interactive", "/repos/o/r/issues/1/comments", Interactive, 80},
		{"content bulk", "/repos/o/r/issues/1/comments", Bulk, 60},
		{"checks interactive", "/repos/o/r/check-runs", Interactive, 100},
		{"checks bulk", "/repos/o/r/check-runs", Bulk, 75},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newFakeClock()
			s, srv := newScript(t, clock, ok200)
			c, _, _ := testTransport(t, clock, WithWriteLimits(GitHubWriteLimits()))
			ctx := WithPriority(context.Background(), tt.prio, "pr-1")
			for range 200 {
				if _, err := do(t, c, ctx, "POST", srv.URL+tt.path, `{}`); err != nil {
					t.Fatal(err)
				}
			}
			reqs := s.requests()
			start := reqs[0].at
			if got := reqs[tt.burst-1].at.Sub(start); got != 0 {
				t.Errorf("the first %d writes waited %v, want a burst with no wait", tt.burst, got)
			}
			if got := reqs[tt.burst].at.Sub(start); got != time.Minute {
				t.Errorf("write %d sent after %v, want 1m", tt.burst+1, got)
			}
			for i := tt.burst; i < len(reqs); i++ {
				if window := reqs[i].at.Sub(reqs[i-tt.burst].at); window < time.Minute {
					t.Fatalf("writes %d..%d within %v: more than %d in a minute", i-tt.burst, i, window, tt.burst)
				}
			}
		})
	}
}

func TestClassifyWrite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, path string
		want         writeKind
	}{
		{"POST", "/repos/o/r/check-runs", checksWrite},
		{"PATCH", "/repos/o/r/check-runs/42", checksWrite},
		{"POST", "/repos/o/r/check-runs/42/rerequest", checksWrite},
		{"POST", "/repos/o/r/check-suites", checksWrite},
		{"PATCH", "/repos/o/r/check-suites/preferences", checksWrite},
		{"POST", "/repos/o/r/check-suites/7/rerequest", checksWrite},
		{"POST", "/repos/o/r/statuses/0123abc", checksWrite},
		{"POST", "/repos/o/r/issues/1/comments", contentWrite},
		{"POST", "/repos/o/r/pulls", contentWrite},
		{"PATCH", "/repos/o/r/pulls/3", contentWrite},
		{"POST", "/repos/o/r/issues/comments/5/reactions", contentWrite},
		{"POST", "/repos/o/r/git/blobs", contentWrite},
		{"PATCH", "/repos/o/r/git/refs/heads/main", contentWrite},
		{"PUT", "/repos/o/r/contents/catalog-info.yaml", contentWrite},
		{"DELETE", "/repos/o/r/check-runs/42", contentWrite}, // no such endpoint: not a check write
		{"POST", "/repos/o/r/statuses", contentWrite},
		{"POST", "/repos/o/r/commits/abc/statuses", contentWrite},
		{"POST", "/repos/o/check-runs-fan/issues", contentWrite},
	}
	for _, tt := range tests {
		for _, base := range []string{"", "/api/v3"} {
			if got := classifyWrite(tt.method, trimBase(base+tt.path, base)); got != tt.want {
				t.Errorf("%s %s%s: %v, want %v", tt.method, base, tt.path, got, tt.want)
			}
		}
	}
}

// trimBase strips the REST base path as the transport does.
func trimBase(path, base string) string { return path[len(base):] }

// TestKindsHaveSeparateBudgets fills one kind's window, then sends a
// write of the other kind: it goes at once. On GHES paths too.
func TestKindsHaveSeparateBudgets(t *testing.T) {
	t.Parallel()
	limits := WriteLimits{Checks: []Limit{{Requests: 2, Per: time.Hour}}, Content: []Limit{{Requests: 2, Per: time.Hour}}}
	tests := []struct{ name, fill, other string }{
		{"checks do not spend content", "/api/v3/repos/o/r/check-runs", "/api/v3/repos/o/r/pulls"},
		{"statuses do not spend content", "/api/v3/repos/o/r/statuses/abc", "/api/v3/repos/o/r/issues/1/comments"},
		{"content does not spend checks", "/api/v3/repos/o/r/git/trees", "/api/v3/repos/o/r/check-runs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newFakeClock()
			s, srv := newScript(t, clock, ok200)
			c, _, _ := testTransportAt(t, clock, "/api/v3/", WithWriteLimits(limits), WithMaxWait(time.Minute))
			for range 2 {
				if _, err := do(t, c, context.Background(), "POST", srv.URL+tt.fill, `{}`); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := do(t, c, context.Background(), "POST", srv.URL+tt.other, `{}`); err != nil {
				t.Fatalf("write of the other kind: %v, want it sent at once", err)
			}
			var rl *RateLimitedError
			if _, err := do(t, c, context.Background(), "POST", srv.URL+tt.fill, `{}`); !errors.As(err, &rl) || rl.Reason != "pace" {
				t.Errorf("third write of the full kind: %v, want *RateLimitedError (pace)", err)
			}
			if n := len(s.requests()); n != 3 || len(clock.slept()) != 0 {
				t.Errorf("sent %d, slept %v; want 3 sent and no wait", n, clock.slept())
			}
		})
	}
}

func TestReadsAndTokensAreNotPaced(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	_, srv := newScript(t, clock, ok200)
	hourly := []Limit{{Requests: 1, Per: time.Hour}}
	c, _, _ := testTransport(t, clock, WithWriteLimits(WriteLimits{Checks: hourly, Content: hourly}))
	calls := []struct{ method, path string }{
		{"POST", "/app/installations/1/access_tokens"},
		{"POST", "/app/installations/1/access_tokens"},
		{"POST", "/repos/o/r/check-runs"},
		{"POST", "/repos/o/r/pulls"},
		{"GET", "/repos/o/r"},
		{"HEAD", "/repos/o/r"},
	}
	for _, call := range calls {
		if _, err := do(t, c, context.Background(), call.method, srv.URL+call.path, ""); err != nil {
			t.Fatal(err)
		}
	}
	if got := clock.slept(); len(got) != 0 {
		t.Errorf("waits %v, want none: only one write of each kind in the hour", got)
	}
}

func TestAllWindowsHold(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s, srv := newScript(t, clock, ok200)
	c, _, _ := testTransport(t, clock, WithMaxWait(2*time.Hour),
		WithWriteLimits(WriteLimits{Content: []Limit{{Requests: 2, Per: time.Minute}, {Requests: 3, Per: time.Hour}}}))
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

func TestLaneDirect(t *testing.T) {
	t.Parallel()
	now := time.Unix(0, 0)
	l := newLane([]Limit{{Requests: 2, Per: 10 * time.Second}, {Requests: 0, Per: time.Second}})
	steps := []struct {
		at   time.Duration
		want time.Duration // wait before the write may go
	}{{0, 0}, {1 * time.Second, 0}, {2 * time.Second, 8 * time.Second}, {10 * time.Second, 0}, {10 * time.Second, time.Second}, {11 * time.Second, 0}}
	for i, st := range steps {
		at := now.Add(st.at)
		got := l.freeAt(at, Interactive).Sub(at)
		if got == 0 {
			l.record(at)
		}
		if got != st.want {
			t.Errorf("step %d at %v: wait %v, want %v", i, st.at, got, st.want)
		}
	}
	if newLane([]Limit{{Requests: 0, Per: time.Minute}}) != nil {
		t.Error("a lane with no usable limit should be nil: not paced")
	}
}

func TestDefaultWriteLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		base  string
		paced bool
	}{
		{"https://api.github.com", true},
		{"https://api.github.com/", true},
		{"https://API.GitHub.com", true},
		{"https://api.acme.ghe.com", true},
		{"https://ghe.acme.example/api/v3", false},
		{"https://api.github.com.evil.example", false},
		{"http://127.0.0.1:3000", false},
		{"://", false},
	}
	for _, tt := range tests {
		got := DefaultWriteLimits(tt.base)
		if paced := len(got.Checks) > 0 && len(got.Content) > 0; paced != tt.paced {
			t.Errorf("DefaultWriteLimits(%q) = %+v, want paced %v", tt.base, got, tt.paced)
		}
	}
	gh := GitHubWriteLimits()
	if len(gh.Content) != 2 || gh.Content[0] != (Limit{80, time.Minute}) || gh.Content[1] != (Limit{500, time.Hour}) ||
		len(gh.Checks) != 1 || gh.Checks[0] != (Limit{100, time.Minute}) {
		t.Errorf("GitHubWriteLimits() = %+v", gh)
	}
}

// redirect sends every request to srv, whatever host it names.
type redirect struct{ srv *url.URL }

func (r redirect) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host = r.srv.Scheme, r.srv.Host
	return http.DefaultTransport.RoundTrip(req)
}

// TestPacingByHost sends 61 bulk content writes through an
// installation's client: on github.com the 61st waits a minute, on GHES
// nothing waits unless the github.com limits are asked for.
func TestPacingByHost(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		base string
		opts []Option
		want []time.Duration
	}{
		{"github.com", "https://api.github.com", nil, []time.Duration{time.Minute}},
		{"GHE.com", "https://api.acme.ghe.com", nil, []time.Duration{time.Minute}},
		{"GHES", "https://ghe.acme.example/api/v3", nil, nil},
		{"GHES with github.com limits", "https://ghe.acme.example/api/v3", []Option{WithWriteLimits(GitHubWriteLimits())}, []time.Duration{time.Minute}},
		{"github.com without limits", "https://api.github.com", []Option{WithWriteLimits(WriteLimits{})}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newFakeClock()
			s, srv := newScript(t, clock, ok200)
			u, _ := url.Parse(srv.URL)
			a := testApps(t, tt.base, append([]Option{WithClock(clock), WithTransport(redirect{u})}, tt.opts...)...)
			c, err := a.Installation(1)
			if err != nil {
				t.Fatal(err)
			}
			for range 61 {
				if _, err := do(t, c.Client(), context.Background(), "POST", c.BaseURL.String()+"repos/o/r/issues/1/comments", `{}`); err != nil {
					t.Fatal(err)
				}
			}
			if got := clock.slept(); !equalDurations(got, tt.want) || len(s.requests()) != 61 {
				t.Errorf("waits %v after %d writes, want %v", got, len(s.requests()), tt.want)
			}
		})
	}
}

// TestPauseHoldsEveryKind: a retry-after answer holds back the
// installation's next request, whatever its kind, until it passes.
func TestPauseHoldsEveryKind(t *testing.T) {
	t.Parallel()
	for _, next := range []struct{ method, path string }{
		{"POST", "/repos/o/r/check-runs"},
		{"POST", "/repos/o/r/statuses/abc"},
		{"POST", "/repos/o/r/issues/1/comments"},
		{"GET", "/repos/o/r"},
	} {
		t.Run(next.method+" "+next.path, func(t *testing.T) {
			t.Parallel()
			clock := newFakeClock()
			s, srv := newScript(t, clock, respond(http.StatusTooManyRequests, `{}`, "Retry-After: 20"), ok200)
			c, _, _ := testTransport(t, clock, WithWriteLimits(GitHubWriteLimits()))
			req, _ := http.NewRequest("POST", srv.URL+"/repos/o/r/pulls", nonReplayable())
			resp, err := c.Do(req)
			if err != nil || resp.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("got %v, %v; want the 429 itself", resp, err)
			}
			resp.Body.Close()
			if _, err := do(t, c, context.Background(), next.method, srv.URL+next.path, ""); err != nil {
				t.Fatal(err)
			}
			reqs := s.requests()
			if got := reqs[1].at.Sub(reqs[0].at); got != 20*time.Second {
				t.Errorf("next request sent %v after the 429, want 20s", got)
			}
		})
	}
}

// TestPauseHoldsWaitingWrites: writes already waiting for the budget when
// GitHub asks for a pause are not granted before it passes.
func TestPauseHoldsWaitingWrites(t *testing.T) {
	t.Parallel()
	clock := newStepClock()
	var mu sync.Mutex
	var paused time.Time
	hold := func() time.Time { mu.Lock(); defer mu.Unlock(); return paused }
	b := newWriteBudget(WriteLimits{Checks: []Limit{{Requests: 1, Per: time.Minute}}}, clock, hold)
	if _, err := b.take(context.Background(), checksWrite, Bulk, "", time.Hour); err != nil {
		t.Fatal(err)
	}
	done := make(chan time.Duration)
	go func() {
		d, _ := b.take(context.Background(), checksWrite, Interactive, "pr-1", time.Hour)
		done <- d
	}()
	eventually(t, "the write to wait", func() bool { return b.waiting() == 1 && clock.sleeping() == 1 })
	mu.Lock()
	paused = clock.Now().Add(90 * time.Second)
	mu.Unlock()
	clock.Advance(time.Minute)
	eventually(t, "the budget to sleep through the pause", func() bool { return clock.sleeping() == 1 })
	if b.waiting() != 1 {
		t.Fatal("granted during the pause")
	}
	clock.Advance(30 * time.Second)
	if d := <-done; d != 90*time.Second {
		t.Errorf("waited %v, want 90s: the end of the pause", d)
	}
}

// TestInteractiveSkipsBulkQueue: 1,000 bulk writes wait, then an
// interactive check write comes: it goes at once, into the reserve.
func TestInteractiveSkipsBulkQueue(t *testing.T) {
	t.Parallel()
	clock := newStepClock()
	s, srv := newScript(t, clock, ok200)
	c, tr, reg := testTransport(t, clock, WithWriteLimits(GitHubWriteLimits()), WithMaxWait(24*time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range 1000 {
		path := []string{"/repos/o/r/check-runs", "/repos/o/r/pulls"}[i%2]
		bulk := WithPriority(ctx, Bulk, "sync-"+strconv.Itoa(i%10))
		wg.Go(func() { do(t, c, bulk, "POST", srv.URL+path, `{}`) })
	}
	defer func() { cancel(); wg.Wait() }()
	eventually(t, "bulk writes to queue", func() bool { return tr.budget.waiting() == 1000-75-60 })
	start := clock.Now()
	pr := WithPriority(context.Background(), Interactive, "acme/web#1")
	if _, err := do(t, c, pr, "POST", srv.URL+"/repos/o/r/check-runs/9", `{}`); err != nil {
		t.Fatal(err)
	}
	reqs := s.requests()
	if last := reqs[len(reqs)-1]; last.path != "/repos/o/r/check-runs/9" || !last.at.Equal(start) {
		t.Errorf("interactive write sent as %+v, want at once", last)
	}
	if len(reqs) != 75+60+1 {
		t.Errorf("%d writes sent, want 75 bulk checks, 60 bulk content and the interactive one", len(reqs))
	}
	if got := counter(t, reg, "github_write_wait_seconds_total", "kind", "checks", "priority", "interactive"); got != 0 {
		t.Errorf("interactive check write waited %vs", got)
	}
}

// TestFlowsTakeTurns: flow A queues 200 writes against a full window,
// then flow B one: B's is among the first two granted once the window
// frees (A's head was queued first), not behind A's 200.
func TestFlowsTakeTurns(t *testing.T) {
	t.Parallel()
	clock := newStepClock()
	s, srv := newScript(t, clock, ok200)
	c, tr, reg := testTransport(t, clock, WithWriteLimits(WriteLimits{Content: []Limit{{Requests: 1, Per: time.Minute}}}), WithMaxWait(24*time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	a := WithPriority(ctx, Interactive, "acme/a#1")
	for range 200 {
		wg.Go(func() { do(t, c, a, "POST", srv.URL+"/repos/acme/a/issues/1/comments", `{}`) })
	}
	defer func() { cancel(); wg.Wait() }()
	eventually(t, "A's writes to queue", func() bool { return tr.budget.waiting() == 199 })
	b := make(chan error)
	go func() {
		_, err := do(t, c, WithPriority(ctx, Interactive, "acme/b#2"), "POST", srv.URL+"/repos/acme/b/issues/2/comments", `{}`)
		b <- err
	}()
	eventually(t, "B's write to queue", func() bool { return tr.budget.waiting() == 200 && clock.sleeping() == 1 })
	clock.Advance(time.Minute)
	eventually(t, "the first grant", func() bool { return len(s.requests()) == 2 && clock.sleeping() == 1 })
	clock.Advance(time.Minute)
	if err := <-b; err != nil {
		t.Fatal(err)
	}
	if reqs := s.requests(); len(reqs) != 3 || reqs[2].path != "/repos/acme/b/issues/2/comments" {
		t.Errorf("sent %d writes, the last to %s; want B's the third", len(reqs), reqs[len(reqs)-1].path)
	}
	// A's second write waited a minute, B's two.
	if got := counter(t, reg, "github_write_wait_seconds_total", "kind", "content", "priority", "interactive"); got != 180 {
		t.Errorf("github_write_wait_seconds_total = %v, want 180", got)
	}
}

func TestFairQueueOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ops  string // +f queues a write of flow f, - serves one
		want string // flows served, in order
	}{
		{"round robin", "+a+a+a+b+b+c------", "abcaba"},
		{"a flow that starts waiting joins the round", "+a+a+a-+b---", "aaba"},
		{"a flow writing one at a time alternates with a busy one", "+a+a+a+b--+b---", "ababa"},
		{"one flow", "+a+a-+a--", "aaa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var q fairQueue
			order := map[*waiter]int{} // queueing order, to check FIFO within a flow
			last := map[string]int{}
			got := ""
			for i := 0; i < len(tt.ops); i++ {
				switch tt.ops[i] {
				case '+':
					i++
					w := newWaiter(Bulk, tt.ops[i:i+1], time.Time{}, time.Hour)
					order[w] = len(order) + 1
					q.push(w)
				case '-':
					w := q.pop()
					if order[w] < last[w.flow] {
						t.Errorf("flow %s served out of order", w.flow)
					}
					last[w.flow] = order[w]
					got += w.flow
				}
			}
			if got != tt.want || q.len() != 0 || len(q.flows) != 0 || len(q.round) != 0 {
				t.Errorf("served %q, %d left, %d flows kept; want %q, none, none", got, q.len(), len(q.flows), tt.want)
			}
		})
	}
}

// TestCancelledWaiterLeavesItsPlace: a write that gives up is gone from
// the queue, the next one gets the slot, and the budget's goroutine
// stops when nothing waits.
func TestCancelledWaiterLeavesItsPlace(t *testing.T) {
	t.Parallel()
	clock := newStepClock()
	b := newWriteBudget(WriteLimits{Content: []Limit{{Requests: 1, Per: time.Minute}}}, clock, func() time.Time { return time.Time{} })
	if _, err := b.take(context.Background(), contentWrite, Bulk, "a", time.Hour); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error)
	go func() { _, err := b.take(ctx, contentWrite, Bulk, "a", time.Hour); first <- err }()
	eventually(t, "a to wait", func() bool { return b.waiting() == 1 })
	second := make(chan time.Duration)
	go func() { d, _ := b.take(context.Background(), contentWrite, Bulk, "b", time.Hour); second <- d }()
	eventually(t, "b to wait", func() bool { return b.waiting() == 2 && clock.sleeping() == 1 })
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) || b.waiting() != 1 {
		t.Fatalf("cancelled wait: %v with %d waiting; want context.Canceled and one left", err, b.waiting())
	}
	clock.Advance(time.Minute)
	if d := <-second; d != time.Minute {
		t.Errorf("b waited %v, want the minute a would have had", d)
	}
	eventually(t, "the goroutine to stop", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return !b.running
	})
}

// TestPaceBeyondMaxWait: a write that cannot go within the maximum wait
// fails with *RateLimitedError: at once when that is clear on arrival,
// when its time is up when later interactive writes pushed it back.
func TestPaceBeyondMaxWait(t *testing.T) {
	t.Parallel()
	clock := newStepClock()
	start := clock.Now()
	b := newWriteBudget(WriteLimits{Content: []Limit{{Requests: 1, Per: time.Minute}}}, clock, func() time.Time { return time.Time{} })
	if _, err := b.take(context.Background(), contentWrite, Bulk, "a", time.Hour); err != nil {
		t.Fatal(err)
	}
	var rl *RateLimitedError
	if _, err := b.take(context.Background(), contentWrite, Bulk, "a", 30*time.Second); !errors.As(err, &rl) || !rl.Until.Equal(start.Add(time.Minute)) {
		t.Fatalf("err = %v, want *RateLimitedError until +1m at once", err)
	}
	bulk := make(chan error)
	go func() {
		_, err := b.take(context.Background(), contentWrite, Bulk, "sync", 90*time.Second)
		bulk <- err
	}()
	eventually(t, "the bulk write to wait", func() bool { return b.waiting() == 1 })
	go b.take(context.Background(), contentWrite, Interactive, "pr", time.Hour)
	eventually(t, "the interactive write to wait", func() bool { return b.waiting() == 2 && clock.sleeping() == 1 })
	clock.Advance(time.Minute) // the interactive write takes the slot
	eventually(t, "the interactive write to go", func() bool { return b.waiting() == 1 && clock.sleeping() == 1 })
	clock.Advance(30 * time.Second)
	if err := <-bulk; !errors.As(err, &rl) || rl.Reason != "pace" || !rl.Until.Equal(start.Add(2*time.Minute)) {
		t.Errorf("err = %v, want *RateLimitedError until +2m after 90s", err)
	}
	if at, ok := RetryAt(rl, clock.Now()); !ok || !at.Equal(start.Add(2*time.Minute)) {
		t.Errorf("RetryAt = %v, %v", at, ok)
	}
}
