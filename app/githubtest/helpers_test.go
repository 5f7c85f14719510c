package githubtest

import (
	"crypto/hmac"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v62/github"
)

// receiver is a webhook endpoint that checks signatures like portico must.
type receiver struct {
	t      testing.TB
	secret string
	srv    *httptest.Server
	status int

	mu     sync.Mutex
	events []received
}

type received struct {
	event, action, guid string
	header              http.Header
	payload             map[string]any
}

func newReceiver(t testing.TB, secret string) *receiver {
	rc := &receiver{t: t, secret: secret, status: http.StatusAccepted}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	sig := strings.TrimPrefix(r.Header.Get("X-Hub-Signature-256"), "sha256=")
	if !hmac.Equal([]byte(sig), []byte(Sign(rc.secret, body))) {
		rc.t.Errorf("webhook %s: bad signature", r.Header.Get("X-GitHub-Event"))
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var payload map[string]any
	if err := json.Unmarshal(body, &payload); err != nil {
		rc.t.Errorf("webhook: %v", err)
	}
	action, _ := payload["action"].(string)
	rc.mu.Lock()
	rc.events = append(rc.events, received{
		event: r.Header.Get("X-GitHub-Event"), action: action, guid: r.Header.Get("X-GitHub-Delivery"),
		header: r.Header.Clone(), payload: payload,
	})
	status := rc.status
	rc.mu.Unlock()
	w.WriteHeader(status)
}

// find returns the received deliveries of an event and action.
func (rc *receiver) find(event, action string) []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []received
	for _, e := range rc.events {
		if e.event == event && e.action == action {
			out = append(out, e)
		}
	}
	return out
}

func (rc *receiver) setStatus(code int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.status = code
}

// fixture is a fake GitHub with an App installed on octo-org, which owns
// the repository hello with one commit on main.
type fixture struct {
	srv    *Server
	app    App
	inst   int64
	hooks  *receiver
	client *github.Client
	itr    *ghinstallation.Transport
	sha    string // main's commit
}

const secret = "s3cret"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{srv: New(t), hooks: newReceiver(t, secret)}
	var err error
	f.app, err = f.srv.CreateApp(AppOptions{WebhookURL: f.hooks.srv.URL, WebhookSecret: secret})
	must(t, err)
	must(t, f.srv.CreateRepo("octo-org", "hello", "main"))
	f.sha, err = f.srv.Commit("octo-org", "hello", "main", Files{
		"README.md":         Text("# hello\n"),
		"catalog-info.yaml": Text("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: hello\n"),
		"docs/a.md":         Text("a\n"),
	}, "initial commit")
	must(t, err)
	f.inst, err = f.srv.CreateInstallation(f.app.ID, "octo-org")
	must(t, err)
	f.itr, err = ghinstallation.New(http.DefaultTransport, f.app.ID, f.inst, f.app.PrivateKeyPEM)
	must(t, err)
	f.itr.BaseURL = f.srv.URL()
	f.client = newClient(t, f.srv, f.itr)
	return f
}

func newClient(t testing.TB, srv *Server, tr http.RoundTripper) *github.Client {
	c := github.NewClient(&http.Client{Transport: tr})
	var err error
	c.BaseURL, err = url.Parse(srv.URL() + "/")
	must(t, err)
	return c
}

// appClient is a client authenticated as the App (JWT).
func (f *fixture) appClient(t testing.TB) *github.Client {
	atr, err := ghinstallation.NewAppsTransport(http.DefaultTransport, f.app.ID, f.app.PrivateKeyPEM)
	must(t, err)
	atr.BaseURL = f.srv.URL()
	return newClient(t, f.srv, atr)
}

// token is a fresh installation token.
func (f *fixture) token(t testing.TB) string {
	tok, err := f.itr.Token(t.Context())
	must(t, err)
	return tok
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// status is the HTTP status of a go-github error (or 200 for none).
func status(err error) int {
	if e, ok := err.(*github.ErrorResponse); ok {
		return e.Response.StatusCode
	}
	if e, ok := err.(*github.RateLimitError); ok {
		return e.Response.StatusCode
	}
	if e, ok := err.(*github.AbuseRateLimitError); ok {
		return e.Response.StatusCode
	}
	if err != nil {
		return -1
	}
	return http.StatusOK
}
