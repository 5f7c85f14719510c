package githubtest

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v4"
	"github.com/google/go-github/v62/github"
)

func TestAppEndpoints(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	ac := f.appClient(t)
	app, _, err := ac.Apps.Get(ctx, "")
	must(t, err)
	if app.GetID() != f.app.ID || app.GetSlug() != f.app.Slug {
		t.Errorf("app = %d %s, want %d %s", app.GetID(), app.GetSlug(), f.app.ID, f.app.Slug)
	}
	insts, _, err := ac.Apps.ListInstallations(ctx, nil)
	must(t, err)
	if len(insts) != 1 || insts[0].GetID() != f.inst || insts[0].GetAccount().GetLogin() != "octo-org" {
		t.Errorf("installations = %v", insts)
	}
	tok, _, err := ac.Apps.CreateInstallationToken(ctx, f.inst, nil)
	must(t, err)
	if !strings.HasPrefix(tok.GetToken(), "ghs_") {
		t.Errorf("token %q lacks the ghs_ prefix", tok.GetToken())
	}
	if d := time.Until(tok.GetExpiresAt().Time); d < 59*time.Minute || d > time.Hour {
		t.Errorf("token expires in %v, want an hour", d)
	}
}

func TestTokenNarrowedToRepositories(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	must(t, f.srv.CreateRepo("octo-org", "other", ""))
	ac := f.appClient(t)
	tok, _, err := ac.Apps.CreateInstallationToken(ctx, f.inst, &github.InstallationTokenOptions{Repositories: []string{"other"}})
	must(t, err)
	c := newClient(t, f.srv, &bearer{tok.GetToken()})
	if _, _, err := c.Repositories.Get(ctx, "octo-org", "other"); err != nil {
		t.Errorf("narrowed token, its repository: %v", err)
	}
	if _, _, err := c.Repositories.Get(ctx, "octo-org", "hello"); status(err) != http.StatusNotFound {
		t.Errorf("narrowed token, another repository: %v", err)
	}
	_, _, err = ac.Apps.CreateInstallationToken(ctx, f.inst, &github.InstallationTokenOptions{Repositories: []string{"missing"}})
	if status(err) != http.StatusUnprocessableEntity {
		t.Errorf("token for a missing repository: %v", err)
	}
}

// bearer authenticates with a fixed token.
type bearer struct{ token string }

func (b *bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "token "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

func TestAuthFailures(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	other, err := f.srv.CreateApp(AppOptions{Name: "other"})
	must(t, err)
	key := parseKey(t, other.PrivateKeyPEM)
	now := time.Now()
	jwtFor := func(iss any, iat, exp time.Time) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": iss, "iat": iat.Unix(), "exp": exp.Unix()}).SignedString(key)
		must(t, err)
		return s
	}
	cases := []struct {
		name, auth, path string
		want             int
	}{
		{"no credentials", "", "/repos/octo-org/hello", http.StatusUnauthorized},
		{"unknown token", "token ghs_nope", "/repos/octo-org/hello", http.StatusUnauthorized},
		{"JWT where a token is needed", "Bearer " + jwtFor(other.ID, now, now.Add(time.Minute)), "/repos/octo-org/hello", http.StatusUnauthorized},
		{"token where a JWT is needed", "token " + f.token(t), "/app", http.StatusUnauthorized},
		{"JWT signed by another App's key", "Bearer " + jwtFor(f.app.ID, now, now.Add(time.Minute)), "/app", http.StatusUnauthorized},
		{"JWT expired", "Bearer " + jwtFor(other.ID, now.Add(-20*time.Minute), now.Add(-10*time.Minute)), "/app", http.StatusUnauthorized},
		{"JWT too long", "Bearer " + jwtFor(other.ID, now, now.Add(time.Hour)), "/app", http.StatusUnauthorized},
		{"JWT with iss as a string", "Bearer " + jwtFor(strconv.FormatInt(other.ID, 10), now, now.Add(time.Minute)), "/app", http.StatusOK},
		{"JWT with the client id as iss", "Bearer " + jwtFor(other.ClientID, now, now.Add(time.Minute)), "/app", http.StatusOK},
		{"token of an installation without the repository", "token " + f.token(t), "/repos/someone/else", http.StatusNotFound},
	}
	must(t, f.srv.CreateRepo("someone", "else", ""))
	for _, tc := range cases {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.srv.URL()+tc.path, nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		var body map[string]any
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s: status %d (%v), want %d", tc.name, resp.StatusCode, body["message"], tc.want)
		}
	}
}

func TestExpiredTokensAreRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tok := f.token(t)
	f.srv.ExpireTokens()
	c := newClient(t, f.srv, &bearer{tok})
	if _, _, err := c.Repositories.Get(t.Context(), "octo-org", "hello"); status(err) != http.StatusUnauthorized {
		t.Errorf("expired token: %v", err)
	}
}

func TestPermissions(t *testing.T) {
	t.Parallel()
	srv := New(t)
	app, err := srv.CreateApp(AppOptions{Permissions: map[string]string{"metadata": "read", "checks": "read"}})
	must(t, err)
	must(t, srv.CreateRepo("octo-org", "hello", ""))
	sha, err := srv.Commit("octo-org", "hello", "main", Files{"a": Text("a")}, "a")
	must(t, err)
	inst, err := srv.CreateInstallation(app.ID, "octo-org")
	must(t, err)
	f := &fixture{srv: srv, app: app, inst: inst}
	c := newClient(t, srv, &bearer{f.tokenFor(t)})
	_, _, err = c.Checks.CreateCheckRun(t.Context(), "octo-org", "hello", github.CreateCheckRunOptions{Name: "x", HeadSHA: sha})
	if status(err) != http.StatusForbidden {
		t.Errorf("check run without checks:write: %v", err)
	}
	if _, _, _, err := c.Repositories.GetContents(t.Context(), "octo-org", "hello", "a", nil); status(err) != http.StatusForbidden {
		t.Errorf("contents without contents:read: %v", err)
	}
}

// tokenFor fetches an installation token with the App's JWT.
func (f *fixture) tokenFor(t testing.TB) string {
	tok, _, err := f.appClient(t).Apps.CreateInstallationToken(t.Context(), f.inst, nil)
	must(t, err)
	return tok.GetToken()
}

func parseKey(t testing.TB, pemBytes []byte) any {
	block, _ := pem.Decode(pemBytes)
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	must(t, err)
	return key
}
