package gh

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var testKeyPEM = sync.OnceValue(func() []byte {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
})

// fakeClock moves time forward by exactly what each Sleep asks.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Unix(1_800_000_000, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.sleeps = append(c.sleeps, d)
	return nil
}

// stepClock stands still until the test moves it: Sleep blocks until
// Advance reaches its end or ctx is done. Tests of writes that wait
// concurrently need it: with fakeClock the budget's goroutine would move
// time on while the test is still queueing writes.
type stepClock struct {
	mu       sync.Mutex
	now      time.Time
	sleepers []sleeper
}

type sleeper struct {
	end  time.Time
	wake chan struct{}
}

func newStepClock() *stepClock { return &stepClock{now: time.Unix(1_800_000_000, 0)} }

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	if d <= 0 {
		c.mu.Unlock()
		return ctx.Err()
	}
	s := sleeper{end: c.now.Add(d), wake: make(chan struct{})}
	c.sleepers = append(c.sleepers, s)
	c.mu.Unlock()
	select {
	case <-s.wake:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		defer c.mu.Unlock()
		c.sleepers = slices.DeleteFunc(c.sleepers, func(o sleeper) bool { return o.wake == s.wake })
		return ctx.Err()
	}
}

// Advance moves time on by d and wakes the sleeps that end by then.
func (c *stepClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.sleepers = slices.DeleteFunc(c.sleepers, func(s sleeper) bool {
		if s.end.After(c.now) {
			return false
		}
		close(s.wake)
		return true
	})
}

// sleeping counts the sleeps in progress.
func (c *stepClock) sleeping() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.sleepers)
}

// eventually fails the test unless cond holds within a few seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func (c *fakeClock) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// seen is one request as the test server received it.
type seen struct {
	method, path, auth, body string
	at                       time.Time // on the fake clock
}

// script is a test GitHub: the n-th API request gets steps[n] (the last
// step repeats); token requests always get a fresh token.
type script struct {
	t      *testing.T
	clock  Clock
	steps  []http.HandlerFunc
	mu     sync.Mutex
	api    []seen
	tokens []string // paths of token requests
}

func newScript(t *testing.T, clock Clock, steps ...http.HandlerFunc) (*script, *httptest.Server) {
	s := &script{t: t, clock: clock, steps: steps}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	if strings.HasSuffix(r.URL.Path, "/access_tokens") {
		s.tokens = append(s.tokens, r.URL.Path)
		s.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"token":"ghs_test","expires_at":"`+time.Now().Add(time.Hour).UTC().Format(time.RFC3339)+`"}`)
		return
	}
	s.api = append(s.api, seen{r.Method, r.URL.Path, r.Header.Get("Authorization"), string(body), s.clock.Now()})
	step := s.steps[min(len(s.api), len(s.steps))-1]
	s.mu.Unlock()
	step(w, r)
}

func (s *script) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.api...)
}

func (s *script) tokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.tokens)
}

func (s *script) tokenPaths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.tokens...)
}

// respond answers with status, headers as "Name: value" pairs and body.
func respond(status int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for _, h := range headers {
			k, v, _ := strings.Cut(h, ": ")
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

var ok200 = respond(http.StatusOK, `{}`)

// quiet is a logger for tests that would otherwise log every retry.
var quiet = slog.New(slog.DiscardHandler)

// testTransport is one installation's transport with a fake clock and
// small backoffs, and a plain http.Client around it: go-github's own rate
// limit checks would hide the transport's waits. Its REST base is a fake
// GitHub's root, so writes are not paced unless opts say so.
func testTransport(t *testing.T, clock Clock, opts ...Option) (*http.Client, *transport, *prometheus.Registry) {
	t.Helper()
	return testTransportAt(t, clock, "/", opts...)
}

// testTransportAt is testTransport for a REST base path such as GitHub
// Enterprise Server's /api/v3.
func testTransportAt(t *testing.T, clock Clock, basePath string, opts ...Option) (*http.Client, *transport, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	base := []Option{WithClock(clock), WithRegisterer(reg), WithLogger(quiet),
		WithBackoff(time.Second, 4*time.Second), WithAttemptTimeout(time.Second)}
	o := newOptions("http://127.0.0.1"+basePath, append(base, opts...))
	m, err := newMetrics(o.registerer)
	if err != nil {
		t.Fatal(err)
	}
	tr := newTransport("1", basePath, o, m)
	return &http.Client{Transport: tr}, tr, reg
}

func do(t *testing.T, c *http.Client, ctx context.Context, method, url, body string) (*http.Response, error) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return resp, err
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
