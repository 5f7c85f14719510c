package setup

import (
	"encoding/json"
	"net/url"
)

// DefaultAppName is the App name the manifest proposes; GitHub lets the
// user change it before creating the App (names are unique on GitHub).
const DefaultAppName = "portico"

// Paths portico serves that the manifest points GitHub to.
const (
	WebhookPath  = "/webhooks"
	CallbackPath = "/setup/callback"
)

// permissions is what the App asks for: check runs (write) and pull
// requests (read) for the catalog checks, repository contents (write: the
// central catalog repository, when it is on GitHub, is pushed with the
// installation's token; template upgrades push branches), issues (write)
// for comment commands' replies, organisation members (read) for
// ownership checks.
var permissions = map[string]string{
	"checks":        "write",
	"contents":      "write",
	"pull_requests": "read",
	"metadata":      "read",
	"issues":        "write",
	"members":       "read",
}

// events are the webhooks the App subscribes to; installation events come
// without asking.
var events = []string{
	"pull_request",
	"check_suite",
	"check_run",
	"push",
	"installation_repositories",
	"repository",
	"issue_comment",
}

// manifest is GitHub's App manifest:
// https://docs.github.com/en/apps/sharing-github-apps/registering-a-github-app-from-a-manifest
type manifest struct {
	Name               string            `json:"name"`
	URL                string            `json:"url"`
	Description        string            `json:"description"`
	HookAttributes     hookAttributes    `json:"hook_attributes"`
	RedirectURL        string            `json:"redirect_url"`
	Public             bool              `json:"public"`
	DefaultPermissions map[string]string `json:"default_permissions"`
	DefaultEvents      []string          `json:"default_events"`
}

type hookAttributes struct {
	URL    string `json:"url"`
	Active bool   `json:"active"`
}

func newManifest(name string, public *url.URL) manifest {
	return manifest{
		Name:               name,
		URL:                public.String(),
		Description:        "portico: catalog checks, catalog sync, template upgrades and workspaces for the developer portal",
		HookAttributes:     hookAttributes{URL: public.JoinPath(WebhookPath).String(), Active: true},
		RedirectURL:        public.JoinPath(CallbackPath).String(),
		Public:             false,
		DefaultPermissions: permissions,
		DefaultEvents:      events,
	}
}

// encode returns the manifest as compact JSON (for the form) and indented
// (for people).
func (m manifest) encode() (compact, indented string) {
	c, err := json.Marshal(m)
	if err != nil {
		panic(err) // a struct of strings, bools and a map always marshals
	}
	i, _ := json.MarshalIndent(m, "", "  ")
	return string(c), string(i)
}
