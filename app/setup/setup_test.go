package setup

import (
	"bytes"
	"encoding/json"
	"flag"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portico-dev/portico/app/config"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const conversion = `{
  "id": 1234, "slug": "portico-acme", "name": "portico acme",
  "owner": {"login": "acme"}, "html_url": "https://github.com/apps/portico-acme",
  "client_id": "Iv1.abc", "client_secret": "client-secret-1", "webhook_secret": "webhook-secret-2",
  "pem": "-----BEGIN RSA PRIVATE KEY-----\nprivate-key-3\n-----END RSA PRIVATE KEY-----\n"
}`

// fakeGitHub answers the manifest conversion with status and body and
// records the codes it was asked for.
type fakeGitHub struct {
	mu    sync.Mutex
	codes []string
}

func newFakeGitHub(t *testing.T, status int, body string) (*fakeGitHub, string) {
	f := &fakeGitHub{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/app-manifests/"), "/conversions")
		f.mu.Lock()
		f.codes = append(f.codes, code)
		f.mu.Unlock()
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return f, srv.URL
}

func (f *fakeGitHub) exchanged() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.codes...)
}

func newHandler(t *testing.T, githubURL, dataDir string, created func(*config.AppCredentials), opts ...Option) *Handler {
	t.Helper()
	// Reproducible states (0x01 0x01 ...) for golden pages; quiet logs.
	base := []Option{WithRandom(bytes.NewReader(bytes.Repeat([]byte{1}, 1<<10))),
		WithLogger(slog.New(slog.DiscardHandler))}
	h, err := New(githubURL, dataDir, created, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func get(h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

var (
	manifestField = regexp.MustCompile(`name="manifest" value="([^"]*)"`)
	formAction    = regexp.MustCompile(`<form method="post" action="([^"]*)"`)
)

// pageForm returns the manifest and the form action of a setup page.
func pageForm(t *testing.T, body string) (map[string]any, *url.URL) {
	t.Helper()
	m, a := manifestField.FindStringSubmatch(body), formAction.FindStringSubmatch(body)
	if m == nil || a == nil {
		t.Fatalf("no manifest form in page:\n%s", body)
	}
	var manifest map[string]any
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &manifest); err != nil {
		t.Fatalf("manifest is not JSON: %v", err)
	}
	action, err := url.Parse(html.UnescapeString(a[1]))
	if err != nil {
		t.Fatal(err)
	}
	return manifest, action
}

func TestGolden(t *testing.T) {
	t.Parallel()
	_, gh := newFakeGitHub(t, http.StatusCreated, conversion)
	tests := []struct {
		name, githubURL, target string
		opts                    []Option
		setup                   func(*Handler)
	}{
		{"setup", "https://api.github.com", "/", []Option{WithPublicURL("https://portico.example.com")}, nil},
		{"setup_org_local", "https://ghe.example/api/v3", "/setup?org=acme", []Option{WithPublicURL("http://localhost:8080")}, nil},
		{"done", gh, "/", nil, func(h *Handler) {
			state := stateFrom(t, get(h, "/").Body.String())
			if rec := get(h, "/setup/callback?code=c1&state="+state); rec.Code != 200 {
				t.Fatalf("callback: %d %s", rec.Code, rec.Body)
			}
		}},
		{"state_mismatch", "https://api.github.com", "/setup/callback?code=c1&state=forged", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHandler(t, tt.githubURL, t.TempDir(), nil, tt.opts...)
			if tt.setup != nil {
				tt.setup(h)
			}
			golden(t, filepath.Join("testdata", tt.name+".golden"), get(h, tt.target).Body.Bytes())
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update to accept):\n%s", path, got)
	}
}

func stateFrom(t *testing.T, body string) string {
	t.Helper()
	_, action := pageForm(t, body)
	return action.Query().Get("state")
}

func TestManifest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, target, public, webURL, wantAction string
		header                                   []string
		wantPublic                               string
	}{
		{"configured public URL", "/", "https://portico.example.com/", "https://api.github.com", "https://github.com/settings/apps/new", nil, "https://portico.example.com"},
		{"organisation on GHES", "/?org=acme", "https://portico.example.com", "https://ghe.example/api/v3", "https://ghe.example/organizations/acme/settings/apps/new", nil, "https://portico.example.com"},
		{"derived from Host", "/setup", "", "https://api.github.com", "https://github.com/settings/apps/new", []string{"Host", "portico.corp:8080"}, "http://portico.corp:8080"},
		{"behind TLS proxy", "/", "", "https://api.github.com", "https://github.com/settings/apps/new", []string{"Host", "portico.corp", "X-Forwarded-Proto", "https"}, "https://portico.corp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHandler(t, tt.webURL, t.TempDir(), nil, WithPublicURL(tt.public))
			rec := get(h, tt.target, tt.header...)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			m, action := pageForm(t, rec.Body.String())
			state := action.Query().Get("state")
			action.RawQuery = ""
			if action.String() != tt.wantAction || state == "" {
				t.Errorf("form posts to %s with state %q, want %s with a state", action, state, tt.wantAction)
			}
			public := strings.TrimSuffix(tt.wantPublic, "/")
			wantPerms := map[string]any{"checks": "write", "contents": "read", "pull_requests": "read", "metadata": "read"}
			wantEvents := []any{"pull_request", "check_suite", "check_run", "push", "repository"}
			want := map[string]any{
				"name": "portico", "url": public, "public": false,
				"hook_attributes":     map[string]any{"url": public + "/webhooks", "active": true},
				"redirect_url":        public + "/setup/callback",
				"default_permissions": wantPerms, "default_events": wantEvents,
				"description": m["description"],
			}
			gotJSON, _ := json.Marshal(m)
			wantJSON, _ := json.Marshal(want)
			if !bytes.Equal(gotJSON, wantJSON) {
				t.Errorf("manifest\n got %s\nwant %s", gotJSON, wantJSON)
			}
		})
	}
}

func TestBadRequests(t *testing.T) {
	t.Parallel()
	h := newHandler(t, "https://api.github.com", t.TempDir(), nil)
	tests := []struct {
		method, target string
		header         []string
		want           int
	}{
		{"GET", "/?org=../evil", nil, http.StatusBadRequest},
		{"GET", "/?org=" + strings.Repeat("a", 40), nil, http.StatusBadRequest},
		{"GET", "/", []string{"Host", "evil.example/path"}, http.StatusBadRequest},
		{"POST", "/", nil, http.StatusMethodNotAllowed},
		{"GET", "/other", nil, http.StatusNotFound},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(tt.method, tt.target, nil)
		for i := 0; i+1 < len(tt.header); i += 2 {
			req.Host = tt.header[i+1]
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tt.want {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.target, rec.Code, tt.want)
		}
	}
}

func TestCallbackCreatesApp(t *testing.T) {
	t.Parallel()
	fake, gh := newFakeGitHub(t, http.StatusCreated, conversion)
	dir := filepath.Join(t.TempDir(), "data")
	var got []*config.AppCredentials
	h := newHandler(t, gh, dir, func(c *config.AppCredentials) { got = append(got, c) }, WithRandom(randReader{}))
	state := stateFrom(t, get(h, "/").Body.String())
	otherTab := stateFrom(t, get(h, "/").Body.String())
	rec := get(h, "/setup/callback?code=the-code&state="+url.QueryEscape(state))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if !strings.Contains(rec.Body.String(), "https://github.com/apps/portico-acme/installations/new") {
		t.Errorf("page does not link to the installation:\n%s", rec.Body)
	}
	if len(got) != 1 || got[0].AppID != 1234 || got[0].WebhookSecret.Reveal() != "webhook-secret-2" {
		t.Fatalf("OnCreated got %+v", got)
	}
	if codes := fake.exchanged(); len(codes) != 1 || codes[0] != "the-code" {
		t.Errorf("exchanged %q, want the code once", codes)
	}
	for _, name := range []string{config.CredentialsFile, config.PrivateKeyFile} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v; want it written with mode 0600", name, err, info.Mode().Perm())
		}
	}
	saved, err := config.ReadCredentials(dir)
	if err != nil || *saved != *got[0] {
		t.Errorf("saved %+v (%v), want %+v", saved, err, got[0])
	}
	if h.Created() == nil || !strings.Contains(get(h, "/").Body.String(), "portico is set up") {
		t.Error("after the callback the setup page should say portico is set up")
	}
	if rec := get(h, "/setup/callback?code=c&state="+url.QueryEscape(state)); rec.Code != http.StatusBadRequest {
		t.Errorf("callback replayed: status %d, want 400", rec.Code)
	}
	if rec := get(h, "/setup/callback?code=c2&state="+url.QueryEscape(otherTab)); rec.Code != http.StatusConflict ||
		len(fake.exchanged()) != 1 || len(got) != 1 {
		t.Errorf("second App from another tab: status %d, %d exchanges; want 409 and no exchange", rec.Code, len(fake.exchanged()))
	}
}

func TestCallbackRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		state func(t *testing.T, h *Handler, now *time.Time) string
		code  string
		want  int
	}{
		{"forged state", func(*testing.T, *Handler, *time.Time) string { return "forged" }, "c", http.StatusBadRequest},
		{"no state", func(*testing.T, *Handler, *time.Time) string { return "" }, "c", http.StatusBadRequest},
		{"state used twice", func(t *testing.T, h *Handler, _ *time.Time) string {
			s := stateFrom(t, get(h, "/").Body.String())
			h.states.use(s)
			return s
		}, "c", http.StatusBadRequest},
		{"expired state", func(t *testing.T, h *Handler, now *time.Time) string {
			s := stateFrom(t, get(h, "/").Body.String())
			*now = now.Add(stateTTL)
			return s
		}, "c", http.StatusBadRequest},
		{"no code", func(t *testing.T, h *Handler, _ *time.Time) string { return stateFrom(t, get(h, "/").Body.String()) }, "", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake, gh := newFakeGitHub(t, http.StatusCreated, conversion)
			now := time.Unix(1_800_000_000, 0)
			called := false
			h := newHandler(t, gh, t.TempDir(), func(*config.AppCredentials) { called = true },
				WithNow(func() time.Time { return now }))
			state := tt.state(t, h, &now)
			rec := get(h, "/setup/callback?code="+tt.code+"&state="+url.QueryEscape(state))
			if rec.Code != tt.want || called || len(fake.exchanged()) != 0 {
				t.Errorf("status %d, created %v, exchanged %v; want %d and nothing exchanged", rec.Code, called, fake.exchanged(), tt.want)
			}
		})
	}
}

func TestExchangeErrorShownWithoutSecrets(t *testing.T) {
	t.Parallel()
	const code = "c0de-5ecret"
	tests := []struct {
		name, body, want string
		status           int
	}{
		{"GitHub refuses", `{"message":"Not Found"}`, "GitHub answered 404 Not Found", http.StatusNotFound},
		{"answer without key", `{"id": 9, "webhook_secret": "webhook-secret-2", "client_secret": "client-secret-1"}`, "no app id or private key", http.StatusCreated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, gh := newFakeGitHub(t, tt.status, tt.body)
			dir := t.TempDir()
			h := newHandler(t, gh, dir, func(*config.AppCredentials) { t.Error("OnCreated called") })
			state := stateFrom(t, get(h, "/").Body.String())
			rec := get(h, "/setup/callback?code="+code+"&state="+url.QueryEscape(state))
			body := rec.Body.String()
			if rec.Code != http.StatusBadGateway || !strings.Contains(body, tt.want) {
				t.Errorf("status %d, page:\n%s\nwant 502 saying %q", rec.Code, body, tt.want)
			}
			for _, secret := range []string{code, "webhook-secret-2", "client-secret-1"} {
				if strings.Contains(body, secret) {
					t.Errorf("page leaks %q", secret)
				}
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("data dir has %d entries, want nothing saved", len(entries))
			}
		})
	}
}

func TestSaveFailureNamesTheApp(t *testing.T) {
	t.Parallel()
	_, gh := newFakeGitHub(t, http.StatusCreated, conversion)
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHandler(t, gh, file, func(*config.AppCredentials) { t.Error("OnCreated called") })
	state := stateFrom(t, get(h, "/").Body.String())
	rec := get(h, "/setup/callback?code=c&state="+url.QueryEscape(state))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "portico-acme") ||
		strings.Contains(rec.Body.String(), "private-key-3") {
		t.Errorf("status %d, page:\n%s\nwant 500 naming the App, without its key", rec.Code, rec.Body)
	}
	if h.Created() != nil {
		t.Error("Created() set after a failed save")
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	h := newHandler(t, "https://api.github.com", t.TempDir(), nil)
	for _, target := range []string{"/", "/setup/callback?state=x&code=y", "/nope"} {
		hd := get(h, target).Header()
		if hd.Get("Cache-Control") != "no-store" || hd.Get("Referrer-Policy") != "no-referrer" || hd.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", target, hd)
		}
	}
}

func TestStatesBounded(t *testing.T) {
	t.Parallel()
	h := newHandler(t, "https://api.github.com", t.TempDir(), nil, WithRandom(randReader{}))
	first := stateFrom(t, get(h, "/").Body.String())
	for range maxStates + 10 {
		get(h, "/")
	}
	if n := len(h.states.expires); n > maxStates {
		t.Errorf("%d states kept, want at most %d", n, maxStates)
	}
	if h.states.use(first) {
		t.Error("the oldest state should have been dropped")
	}
}

// randReader counts up so every state differs.
type randReader struct{}

var counterMu sync.Mutex
var counterN uint64

func (randReader) Read(p []byte) (int, error) {
	counterMu.Lock()
	defer counterMu.Unlock()
	counterN++
	for i := range p {
		p[i] = byte(counterN >> (8 * (i % 8)))
	}
	return len(p), nil
}
