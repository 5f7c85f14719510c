package setup

import (
	"html"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/catalogsync"
	"github.com/portico-dev/portico/app/checks"
	"github.com/portico-dev/portico/app/githubtest"
)

// TestManifestEventsAreHandled ties the events the App subscribes to to
// the events portico's code routes: none asked for that nothing handles,
// none handled that GitHub would not send. installation and
// installation_repositories are handled but never asked for: GitHub sends
// them unasked and refuses a manifest that names them.
func TestManifestEventsAreHandled(t *testing.T) {
	t.Parallel()
	routes := checks.Routes()
	maps.Copy(routes, catalogsync.Routes())
	var handled []string
	for e := range routes {
		if e != "installation" && e != "installation_repositories" {
			handled = append(handled, e)
		}
	}
	slices.Sort(handled)
	asked := slices.Sorted(slices.Values(Events()))
	if !slices.Equal(asked, handled) {
		t.Errorf("manifest asks for %v, code handles %v", asked, handled)
	}
}

// TestManifestEventsSubscribable checks every event against the list of
// events an App may subscribe to, read from GitHub's OpenAPI description
// (testdata/github/api.github.com.json, as the fake embeds it).
func TestManifestEventsSubscribable(t *testing.T) {
	t.Parallel()
	allowed, err := githubtest.SubscribableEvents()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range Events() {
		if !slices.Contains(allowed, e) {
			t.Errorf("event %q is not one an App may subscribe to (%v)", e, allowed)
		}
	}
}

// TestManifestAcceptedByGitHub posts the setup page's manifest, as a
// browser would, to the fake GitHub, which refuses what GitHub refuses
// (events sent unasked, events the permissions do not cover), for each
// set of permissions the page may ask for.
func TestManifestAcceptedByGitHub(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, catalog, platform string
		contents, pulls         string
	}{
		{"checks only", "", "", "read", "read"},
		{"central catalog", "acme/catalog", "", "write", "read"},
		{"template upgrades", "", "acme/platform", "write", "write"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			gh := githubtest.New(t)
			h := newHandler(t, gh.URL(), t.TempDir(), nil, WithPublicURL("https://portico.example"),
				WithCatalogRepository(tt.catalog), WithPlatformRepository(tt.platform))
			body := get(h, "/").Body.String()
			m, action := pageForm(t, body)
			perms, _ := m["default_permissions"].(map[string]any)
			if perms["contents"] != tt.contents || perms["pull_requests"] != tt.pulls {
				t.Errorf("contents: %v, pull_requests: %v, want %s and %s", perms["contents"], perms["pull_requests"], tt.contents, tt.pulls)
			}
			noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			raw := html.UnescapeString(manifestField.FindStringSubmatch(body)[1])
			resp, err := noRedirect.PostForm(action.String(), url.Values{"manifest": {raw}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "https://portico.example/setup/callback?") {
				t.Errorf("GitHub answered %d (location %q), want the redirect to the callback", resp.StatusCode, loc)
			}
		})
	}
}
