package gh

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/prometheus/client_golang/prometheus"
)

func testApps(t *testing.T, base string, opts ...Option) *Apps {
	t.Helper()
	all := append([]Option{WithLogger(quiet), WithRegisterer(prometheus.NewRegistry())}, opts...)
	a, err := NewApps(42, testKeyPEM(), base, all...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestInstallationTokenIsCachedAndClientReused(t *testing.T) {
	t.Parallel()
	s, srv := newScript(t, realClock{}, respond(200, `{"id":1,"name":"r"}`))
	a := testApps(t, srv.URL)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			c, err := a.Installation(7)
			if err != nil {
				t.Error(err)
				return
			}
			if _, _, err := c.Repositories.Get(context.Background(), "o", "r"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := s.tokenRequests(); n != 1 {
		t.Errorf("%d token requests for 20 calls, want 1", n)
	}
	c1, _ := a.Installation(7)
	c2, _ := a.Installation(7)
	c3, _ := a.Installation(8)
	if c1 != c2 || c1 == c3 {
		t.Error("want one client per installation, reused")
	}
	for _, r := range s.requests() {
		if r.auth != "token ghs_test" {
			t.Fatalf("API request authorised with %q, want the installation token", r.auth)
		}
	}
	if tok, err := a.Token(context.Background(), 7); err != nil || tok != "ghs_test" || s.tokenRequests() != 1 {
		t.Errorf("Token = %q, %v after %d token requests; want the cached token", tok, err, s.tokenRequests())
	}
}

func TestAppClientSignsJWT(t *testing.T) {
	t.Parallel()
	s, srv := newScript(t, realClock{}, respond(200, `{"id":42,"slug":"portico"}`))
	app, _, err := testApps(t, srv.URL).App().Apps.Get(context.Background(), "")
	if err != nil || app.GetSlug() != "portico" {
		t.Fatalf("Apps.Get = %v, %v", app, err)
	}
	auth := s.requests()[0].auth
	jwt, ok := strings.CutPrefix(auth, "Bearer ")
	parts := strings.Split(jwt, ".")
	if !ok || len(parts) != 3 {
		t.Fatalf("Authorization %q is not a bearer JWT", auth)
	}
	claims, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var c struct{ Iss string }
	if json.Unmarshal(claims, &c) != nil || c.Iss != "42" {
		t.Errorf("JWT claims %s, want iss 42", claims)
	}
}

func TestEnterpriseBaseURL(t *testing.T) {
	t.Parallel()
	s, srv := newScript(t, realClock{}, respond(200, `{}`))
	for _, base := range []string{srv.URL + "/api/v3", srv.URL + "/api/v3/"} {
		c, err := testApps(t, base).Installation(3)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.Repositories.Get(context.Background(), "o", "r"); err != nil {
			t.Fatal(err)
		}
		if c.UploadURL.Path != "/api/uploads/" {
			t.Errorf("upload URL %s, want /api/uploads/", c.UploadURL)
		}
	}
	for _, r := range s.requests() {
		if r.path != "/api/v3/repos/o/r" {
			t.Errorf("request to %s, want /api/v3/repos/o/r", r.path)
		}
	}
	for _, p := range s.tokenPaths() {
		if p != "/api/v3/app/installations/3/access_tokens" {
			t.Errorf("token requested at %s, want under /api/v3", p)
		}
	}
}

func TestGoGitHubThroughTheTransport(t *testing.T) {
	t.Parallel()
	s, srv := newScript(t, realClock{}, e502, respond(200, `{"id":1}`))
	c, _ := testApps(t, srv.URL, WithBackoff(time.Millisecond, time.Millisecond)).Installation(1)
	repo, _, err := c.Repositories.Get(context.Background(), "o", "r")
	if err != nil || repo.GetID() != 1 || len(s.requests()) != 2 {
		t.Errorf("got %v, %v after %d requests; want the repository after a retry", repo, err, len(s.requests()))
	}
}

func TestGoGitHubCheckRunCreation(t *testing.T) {
	t.Parallel()
	secondary := respond(http.StatusForbidden, `{"message":"You have exceeded a secondary rate limit"}`, "Retry-After: 10")
	created := respond(http.StatusCreated, `{"id":77}`)
	tests := []struct {
		name     string
		steps    []http.HandlerFunc
		wantErr  bool
		wantSent int
	}{
		{"resent after a secondary limit", []http.HandlerFunc{secondary, created}, false, 2},
		{"not resent after a 502", []http.HandlerFunc{e502, created}, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newFakeClock()
			s, srv := newScript(t, clock, tt.steps...)
			c, _ := testApps(t, srv.URL, WithClock(clock)).Installation(1)
			run, _, err := c.Checks.CreateCheckRun(context.Background(), "o", "r",
				github.CreateCheckRunOptions{Name: "portico / catalog", HeadSHA: "abc"})
			reqs := s.requests()
			if (err != nil) != tt.wantErr || len(reqs) != tt.wantSent {
				t.Fatalf("run %v, err %v after %d sends; want error %v after %d", run, err, len(reqs), tt.wantErr, tt.wantSent)
			}
			for _, r := range reqs {
				if !strings.Contains(r.body, `"name":"portico / catalog"`) {
					t.Errorf("sent body %q, want the check run each time", r.body)
				}
			}
		})
	}
}

// TestGoGitHubRefusesWhileExhausted documents go-github's own check: once
// a response says a limit is exhausted, it refuses further calls locally
// until the reset, and RetryAt reads when to come back.
func TestGoGitHubRefusesWhileExhausted(t *testing.T) {
	t.Parallel()
	reset := time.Now().Add(time.Hour).Truncate(time.Second)
	_, srv := newScript(t, realClock{}, respond(200, `{}`, "X-RateLimit-Remaining: 0", "X-RateLimit-Limit: 5000",
		"X-RateLimit-Reset: "+itoa(reset.Unix())))
	c, _ := testApps(t, srv.URL).Installation(1)
	if _, _, err := c.Repositories.Get(context.Background(), "o", "r"); err != nil {
		t.Fatal(err)
	}
	_, _, err := c.Repositories.Get(context.Background(), "o", "r")
	var rle *github.RateLimitError
	if !errors.As(err, &rle) {
		t.Fatalf("err = %v, want *github.RateLimitError", err)
	}
	if at, ok := RetryAt(err, time.Now()); !ok || !at.Equal(reset) {
		t.Errorf("RetryAt = %v, %v; want %v", at, ok, reset)
	}
}

func TestRetryAt(t *testing.T) {
	t.Parallel()
	now := time.Unix(1000, 0)
	ten := 10 * time.Second
	resp429 := &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"30"}}}
	tests := []struct {
		name string
		err  error
		want time.Time
		ok   bool
	}{
		{"ours", &RateLimitedError{Until: now.Add(time.Hour)}, now.Add(time.Hour), true},
		{"abuse with retry-after", &github.AbuseRateLimitError{RetryAfter: &ten}, now.Add(ten), true},
		{"abuse without", &github.AbuseRateLimitError{}, now.Add(DefaultSecondaryWait), true},
		{"429", &github.ErrorResponse{Response: resp429}, now.Add(30 * time.Second), true},
		{"other", errors.New("boom"), time.Time{}, false},
	}
	for _, tt := range tests {
		if got, ok := RetryAt(tt.err, now); ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("%s: RetryAt = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNewAppsRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		id   int64
		key  []byte
		base string
		want string
	}{
		{"no id", 0, testKeyPEM(), "https://api.github.com", "app id"},
		{"not PEM", 1, []byte("secret-material"), "https://api.github.com", "not PEM"},
		{"not RSA", 1, []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), "https://api.github.com", "not an RSA"},
		{"relative base", 1, testKeyPEM(), "api.github.com", "github url"},
	}
	for _, tt := range tests {
		_, err := NewApps(tt.id, tt.key, tt.base)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "secret-material") {
			t.Errorf("%s: err = %v, want it to mention %q and no key material", tt.name, err, tt.want)
		}
	}
	a := testApps(t, "https://api.github.com")
	if _, err := a.Installation(0); err == nil {
		t.Error("Installation(0): want an error")
	}
}

func TestRateLimitIsTheLastSeenPerInstallation(t *testing.T) {
	t.Parallel()
	reset := time.Now().Add(30 * time.Minute).Truncate(time.Second)
	_, srv := newScript(t, realClock{},
		respond(200, `{}`, "X-RateLimit-Limit: 5000", "X-RateLimit-Remaining: 4999", "X-RateLimit-Reset: "+itoa(reset.Unix()), "X-RateLimit-Resource: core"),
		respond(200, `{}`, "X-RateLimit-Limit: 5000", "X-RateLimit-Remaining: 420", "X-RateLimit-Reset: "+itoa(reset.Unix()), "X-RateLimit-Resource: core"),
		respond(200, `{}`, "X-RateLimit-Limit: 30", "X-RateLimit-Remaining: 1", "X-RateLimit-Reset: "+itoa(reset.Unix()), "X-RateLimit-Resource: search"))
	a := testApps(t, srv.URL)
	if _, ok := a.RateLimit(7); ok {
		t.Fatal("a rate limit reported before any request")
	}
	c, err := a.Installation(7)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := a.RateLimit(7); ok {
		t.Fatal("a rate limit reported before any answer")
	}
	ctx := context.Background()
	for _, path := range []string{"repos/o/r", "repos/o/r", "search/issues"} {
		req, _ := c.NewRequest("GET", path, nil)
		if _, err := c.Do(ctx, req, nil); err != nil {
			t.Fatal(err)
		}
	}
	got, ok := a.RateLimit(7)
	if !ok || got.Limit != 5000 || got.Remaining != 420 || !got.Reset.Equal(reset) {
		t.Errorf("RateLimit(7) = %+v, %v; want the last core answer, 420 of 5000 until %v (the search answer is another resource)", got, ok, reset)
	}
	if _, ok := a.RateLimit(8); ok {
		t.Error("installation 8 reports installation 7's limit")
	}
}
