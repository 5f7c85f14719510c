package gh

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const conversion = `{
  "id": 1234, "slug": "portico-acme", "name": "portico acme", "node_id": "x",
  "owner": {"login": "acme"}, "html_url": "https://github.com/apps/portico-acme",
  "client_id": "Iv1.abc", "client_secret": "cs-1", "webhook_secret": "whs-2",
  "pem": "-----BEGIN RSA PRIVATE KEY-----\nkey-3\n-----END RSA PRIVATE KEY-----\n"
}`

func manifestServer(t *testing.T, status int, body string) (*httptest.Server, *[]*http.Request) {
	var got []*http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r)
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

func TestExchangeManifest(t *testing.T) {
	t.Parallel()
	srv, got := manifestServer(t, http.StatusCreated, conversion)
	creds, err := ExchangeManifest(context.Background(), srv.URL+"/api/v3", "abc123")
	if err != nil {
		t.Fatal(err)
	}
	r := (*got)[0]
	if r.Method != "POST" || r.URL.Path != "/api/v3/app-manifests/abc123/conversions" || r.Header.Get("Authorization") != "" {
		t.Errorf("request %s %s auth %q; want an unauthenticated POST to the conversion", r.Method, r.URL.Path, r.Header.Get("Authorization"))
	}
	if creds.AppID != 1234 || creds.Slug != "portico-acme" || creds.Owner != "acme" || creds.Name != "portico acme" ||
		creds.HTMLURL != "https://github.com/apps/portico-acme" || creds.ClientID != "Iv1.abc" ||
		creds.ClientSecret.Reveal() != "cs-1" || creds.WebhookSecret.Reveal() != "whs-2" ||
		!strings.Contains(creds.PrivateKey.Reveal(), "key-3") {
		t.Errorf("credentials %+v do not match GitHub's answer", creds)
	}
}

func TestExchangeManifestErrors(t *testing.T) {
	t.Parallel()
	const code = "c0de5ecret"
	refused, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusedURL := "http://" + refused.Addr().String()
	refused.Close()
	notFound, _ := manifestServer(t, http.StatusNotFound, `{"message":"Not Found"}`)
	incomplete, _ := manifestServer(t, http.StatusCreated, `{"id": 5}`)
	garbage, _ := manifestServer(t, http.StatusCreated, `{"id": `)
	tests := []struct {
		name, base, code, want string
	}{
		{"code unknown", notFound.URL, code, "GitHub answered 404 Not Found: Not Found"},
		{"no key in answer", incomplete.URL, code, "no app id or private key"},
		{"broken answer", garbage.URL, code, "exchange manifest code"},
		{"unreachable", refusedURL, code, "connection refused"},
		{"code with a path", notFound.URL, "../../user", "malformed code"},
		{"empty code", notFound.URL, "", "malformed code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ExchangeManifest(context.Background(), tt.base, tt.code)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), code) {
				t.Errorf("err %q leaks the code", err)
			}
		})
	}
	_, err = ExchangeManifest(context.Background(), "x", "abc")
	if err == nil || errors.Is(err, ErrBadManifestCode) {
		t.Errorf("bad base: err = %v, want a URL error", err)
	}
}
