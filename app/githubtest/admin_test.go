package githubtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
)

// admin calls the admin API and decodes its answer into out.
func admin(t *testing.T, srv *Server, method, path string, body any, out any) int {
	t.Helper()
	var buf bytes.Buffer
	if body != nil {
		must(t, json.NewEncoder(&buf).Encode(body))
	}
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL()+path, &buf)
	must(t, err)
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	if out != nil {
		must(t, json.NewDecoder(resp.Body).Decode(out))
	}
	return resp.StatusCode
}

func TestAdminAPI(t *testing.T) {
	t.Parallel()
	hooks := newReceiver(t, secret)
	srv := New(t, WithWebhookDefaults(hooks.srv.URL, secret))
	var app struct {
		ID             int64  `json:"id"`
		PrivateKeyPath string `json:"private_key_path"`
		WebhookSecret  string `json:"webhook_secret"`
	}
	if code := admin(t, srv, "POST", "/_admin/apps", map[string]any{"name": "portico dev"}, &app); code != 200 {
		t.Fatalf("create app: %d", code)
	}
	st, err := os.Stat(app.PrivateKeyPath)
	must(t, err)
	if st.Mode().Perm() != 0o600 || app.WebhookSecret != secret {
		t.Errorf("key file mode %v, secret %q", st.Mode().Perm(), app.WebhookSecret)
	}
	steps := []struct {
		method, path string
		body         any
	}{
		{"POST", "/_admin/repos", map[string]any{"owner": "octo-org", "name": "svc"}},
		{"POST", "/_admin/repos/octo-org/svc/commits", map[string]any{"branch": "main", "message": "init", "files": map[string]any{"catalog-info.yaml": "kind: Component\n"}}},
		{"POST", "/_admin/installations", map[string]any{"app_id": app.ID, "account": "octo-org"}},
		{"POST", "/_admin/repos/octo-org/svc/commits", map[string]any{"branch": "change", "message": "change", "files": map[string]any{"catalog-info.yaml": "kind: API\n"}}},
		{"POST", "/_admin/repos/octo-org/svc/pulls", map[string]any{"head": "change", "base": "main", "title": "Change"}},
		{"POST", "/_admin/repos/octo-org/svc/pulls/1/commits", map[string]any{"message": "more", "files": map[string]any{"catalog-info.yaml": nil}}},
		{"POST", "/_admin/repos/octo-org/svc/issues/1/comments", map[string]any{"user": "dev", "body": "/workspace status"}},
		{"PUT", "/_admin/repos/octo-org/svc/collaborators/dev", map[string]any{"role": "write"}},
		{"POST", "/_admin/repos/octo-org/svc/pulls/1/close", nil},
		{"POST", "/_admin/faults", map[string]any{"status": 502, "times": 1, "latency": "1ms"}},
		{"DELETE", "/_admin/faults", nil},
	}
	for _, s := range steps {
		var out map[string]any
		if code := admin(t, srv, s.method, s.path, s.body, &out); code != 200 {
			t.Fatalf("%s %s: %d %v", s.method, s.path, code, out)
		}
	}
	var pr PullRequest
	admin(t, srv, "GET", "/_admin/repos/octo-org/svc/pulls/1", nil, &pr)
	if pr.State != "closed" || pr.Head != "change" {
		t.Errorf("pull request = %+v", pr)
	}
	for _, s := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/_admin/repos/octo-org/svc/rename", map[string]any{"name": "svc2"}},
		{"DELETE", "/_admin/repos/octo-org/svc2", nil},
	} {
		var out map[string]any
		if code := admin(t, srv, s.method, s.path, s.body, &out); code != 200 {
			t.Fatalf("%s %s: %d %v", s.method, s.path, code, out)
		}
	}
	if code := admin(t, srv, "GET", "/_admin/repos/octo-org/svc2/pulls/1", nil, nil); code != 404 {
		t.Errorf("pull request of a deleted repository: %d, want 404", code)
	}
	var deliveries []Delivery
	admin(t, srv, "GET", "/_admin/deliveries", nil, &deliveries)
	var events []string
	for _, d := range deliveries {
		events = append(events, strings.TrimSuffix(d.Event+"."+d.Action, "."))
	}
	want := "ping installation.created push pull_request.opened push pull_request.synchronize issue_comment.created pull_request.closed repository.renamed repository.deleted"
	if strings.Join(events, " ") != want {
		t.Errorf("deliveries = %s\nwant %s", strings.Join(events, " "), want)
	}
	var violations []Violation
	if admin(t, srv, "GET", "/_admin/violations", nil, &violations); violations == nil || len(violations) != 0 {
		t.Errorf("violations = %v, want []", violations)
	}
	var e map[string]string
	if code := admin(t, srv, "POST", "/_admin/repos/octo-org/missing/pulls", map[string]any{"head": "a", "base": "b"}, &e); code != 400 || e["error"] == "" {
		t.Errorf("error answer: %d %v", code, e)
	}
	if code := admin(t, srv, "POST", "/_admin/repos", map[string]any{"owner": "o", "nme": "typo"}, &e); code != 400 {
		t.Errorf("unknown field: %d", code)
	}
}

func TestManifestFlow(t *testing.T) {
	t.Parallel()
	hooks := newReceiver(t, secret)
	srv := New(t, WithWebhookDefaults("", secret))
	manifest := fmt.Sprintf(`{"name":"Portico","url":"https://portico.example","hook_attributes":{"url":%q},
		"redirect_url":"https://portico.example/setup/done","setup_url":"https://portico.example/setup/installed",
		"default_events":["pull_request","push"],"default_permissions":{"checks":"write","contents":"read","metadata":"read","pull_requests":"read"}}`, hooks.srv.URL)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(srv.URL()+"/organizations/octo-org/settings/apps/new?state=xyz", url.Values{"manifest": {manifest}})
	must(t, err)
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	must(t, err)
	if resp.StatusCode != http.StatusFound || loc.Host != "portico.example" || loc.Query().Get("state") != "xyz" || loc.Query().Get("code") == "" {
		t.Fatalf("redirect %d to %s", resp.StatusCode, loc)
	}
	client := newClient(t, srv, http.DefaultTransport)
	cfg, _, err := client.Apps.CompleteAppManifest(t.Context(), loc.Query().Get("code"))
	must(t, err)
	if cfg.GetSlug() != "portico" || cfg.GetWebhookSecret() != secret || !strings.Contains(cfg.GetPEM(), "RSA PRIVATE KEY") || cfg.GetOwner().GetLogin() != "octo-org" {
		t.Errorf("conversion = %s %q owner %s", cfg.GetSlug(), cfg.GetWebhookSecret(), cfg.GetOwner().GetLogin())
	}
	if _, _, err := client.Apps.CompleteAppManifest(t.Context(), loc.Query().Get("code")); status(err) != http.StatusNotFound {
		t.Errorf("second conversion of a code: %v", err)
	}
	if len(hooks.find("ping", "")) != 1 {
		t.Error("no ping to the manifest's hook URL")
	}
	must(t, srv.CreateRepo("octo-org", "svc", ""))
	resp, err = noRedirect.Get(srv.URL() + "/apps/portico/installations/new?account=octo-org")
	must(t, err)
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "https://portico.example/setup/installed?installation_id=") {
		t.Errorf("install redirects to %q", loc)
	}
	if len(hooks.find("installation", "created")) != 1 {
		t.Error("no installation.created after the install page")
	}
}
