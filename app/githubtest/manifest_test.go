package githubtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestManifestEventsRefused: GitHub refuses, and creates no App for, a
// manifest whose default_events name an event every App gets unasked or
// one its permissions do not cover. The fake must refuse the same
// manifests with the same words, or a manifest that fails on GitHub
// passes every test (as installation_repositories once did).
func TestManifestEventsRefused(t *testing.T) {
	t.Parallel()
	perms := map[string]string{"checks": "write", "contents": "read", "metadata": "read", "pull_requests": "read"}
	tests := []struct {
		name      string
		events    []string
		perms     map[string]string
		want      string // "" accepted
		violation bool
	}{
		{"what portico asks for", []string{"pull_request", "check_suite", "check_run", "push", "repository"}, perms, "", false},
		{"no events", nil, perms, "", false},
		{"installation_repositories", []string{"pull_request", "installation_repositories"}, perms,
			"Default events unsupported: installation_repositories", false},
		{"both installation events", []string{"installation", "push", "installation_repositories"}, perms,
			"Default events unsupported: installation and installation_repositories", false},
		{"ping", []string{"ping"}, perms, "Default events unsupported: ping", false},
		{"event without its permission", []string{"pull_request", "push"}, map[string]string{"metadata": "read", "contents": "read"},
			"Default events are not supported by permissions: pull_request", false},
		{"permission none", []string{"push"}, map[string]string{"contents": "none"},
			"Default events are not supported by permissions: push", false},
		{"either permission", []string{"issue_comment"}, map[string]string{"pull_requests": "write"}, "", false},
		{"event the fake cannot judge", []string{"push", "deployment_status"}, perms,
			"The fake GitHub's description has no App webhook for deployment_status", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := New(nil)
			defer srv.Close()
			status, body := postManifest(t, srv, tt.events, tt.perms)
			if tt.want == "" {
				if status != http.StatusFound {
					t.Fatalf("status %d: %s; want the redirect with a code", status, body)
				}
				return
			}
			if status != http.StatusUnprocessableEntity || strings.TrimSpace(body) != tt.want {
				t.Errorf("status %d, body %q; want 422 %q", status, body, tt.want)
			}
			srv.mu.Lock()
			apps := len(srv.st.apps)
			srv.mu.Unlock()
			if apps != 0 {
				t.Errorf("%d Apps created by a refused manifest", apps)
			}
			if got := len(srv.Violations()) > 0; got != tt.violation {
				t.Errorf("violations %v, want some: %v", srv.Violations(), tt.violation)
			}
		})
	}
}

func postManifest(t *testing.T, srv *Server, events []string, perms map[string]string) (int, string) {
	t.Helper()
	m, err := json.Marshal(map[string]any{
		"name": "portico", "url": "https://portico.example", "redirect_url": "https://portico.example/setup/callback",
		"hook_attributes": map[string]any{"url": "https://portico.example/webhooks"},
		"default_events":  events, "default_permissions": perms,
	})
	must(t, err)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(srv.URL()+"/settings/apps/new?state=s", url.Values{"manifest": {string(m)}})
	must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestSubscribableEvents: the list comes from the description's
// supported-webhook-types, without the events GitHub sends unasked.
func TestSubscribableEvents(t *testing.T) {
	t.Parallel()
	got, err := SubscribableEvents()
	must(t, err)
	for _, e := range []string{"pull_request", "push", "check_run", "check_suite", "repository", "issue_comment"} {
		if !slices.Contains(got, e) {
			t.Errorf("%s missing from %v", e, got)
		}
	}
	for e := range implicitEvents {
		if slices.Contains(got, e) {
			t.Errorf("%s is sent unasked, yet listed as subscribable", e)
		}
	}
	for _, e := range got {
		if _, ok := eventPermissions[e]; !ok {
			t.Errorf("%s is described but the fake does not know which permission it needs", e)
		}
	}
}

func TestEnglishList(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "", "a": "a", "a b": "a and b", "a b c": "a, b and c"} {
		if got := englishList(strings.Fields(in)); got != want {
			t.Errorf("englishList(%q) = %q, want %q", in, got, want)
		}
	}
}
