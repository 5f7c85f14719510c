package githubtest

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
)

func TestFaults(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	get := func() error {
		_, _, err := f.client.Repositories.Get(ctx, "octo-org", "hello")
		return err
	}
	must(t, get()) // fetches the token before faults apply

	f.srv.Inject(Fault{Method: "GET", PathPrefix: "/repos/", Status: http.StatusBadGateway, Times: 2})
	for i := range 2 {
		if err := get(); status(err) != http.StatusBadGateway {
			t.Errorf("request %d under a 502 fault: %v", i, err)
		}
	}
	must(t, get())

	f.srv.Inject(Fault{PathPrefix: "/repos/", Status: http.StatusForbidden, RetryAfter: 3 * time.Second})
	err := get()
	var abuse *github.AbuseRateLimitError
	if !errors.As(err, &abuse) || abuse.GetRetryAfter() != 3*time.Second {
		t.Errorf("secondary limit: %v, want an AbuseRateLimitError with retry-after 3s", err)
	}
	f.srv.ClearFaults()
	f.client = newClient(t, f.srv, f.itr) // go-github would refuse locally until retry-after
	must(t, get())

	f.srv.Inject(Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second, Times: 1})
	_, resp, err := f.client.Repositories.Get(ctx, "octo-org", "hello")
	if status(err) != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1" {
		t.Errorf("429: %v, retry-after %q", err, resp.Header.Get("Retry-After"))
	}

	f.srv.Inject(Fault{Latency: 50 * time.Millisecond, Times: 1})
	start := time.Now()
	must(t, get())
	if time.Since(start) < 50*time.Millisecond {
		t.Error("latency was not added")
	}
}

func TestPrimaryRateLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	_, first, err := f.client.Repositories.Get(ctx, "octo-org", "hello")
	must(t, err)
	_, second, err := f.client.Repositories.Get(ctx, "octo-org", "hello")
	must(t, err)
	if first.Rate.Limit != 5000 || second.Rate.Remaining != first.Rate.Remaining-1 || second.Header.Get("X-RateLimit-Resource") != "core" {
		t.Errorf("rate limit headers: %+v then %+v", first.Rate, second.Rate)
	}
	f.srv.Inject(Fault{Status: http.StatusForbidden, Primary: true, RetryAfter: 2 * time.Second, Times: 1})
	for i := range 2 { // the second request is refused by the used-up limit itself
		_, _, err = f.client.Repositories.Get(ctx, "octo-org", "hello")
		var rl *github.RateLimitError
		if !errors.As(err, &rl) || rl.Rate.Remaining != 0 || time.Until(rl.Rate.Reset.Time) > 4*time.Second {
			t.Errorf("request %d: %v, want a RateLimitError resetting within seconds", i, err)
		}
		f.client = newClient(t, f.srv, f.itr) // go-github would refuse locally until the reset
	}
}

func TestRequestCounters(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	for range 3 {
		_, _, err := f.client.Checks.CreateCheckRun(ctx, "octo-org", "hello", github.CreateCheckRunOptions{Name: "c", HeadSHA: f.sha})
		must(t, err)
	}
	_, _, err := f.client.Repositories.Get(ctx, "octo-org", "hello")
	must(t, err)
	got := f.srv.Requests()
	if got["POST /repos/{owner}/{repo}/check-runs"] != 3 || got["GET /repos/{owner}/{repo}"] != 1 || got["POST /app/installations/{installation_id}/access_tokens"] != 1 {
		t.Errorf("requests = %v", got)
	}
	if n := f.srv.ContentCreatingPerMinute(f.inst); n != 3 {
		t.Errorf("content-creating requests per minute = %d, want 3", n)
	}
	if n := f.srv.ContentCreatingPerMinute(f.inst + 1000); n != 0 {
		t.Errorf("another installation = %d", n)
	}
}
