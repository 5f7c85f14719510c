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

// permissions is what the App asks for: what portico's code uses today,
// no more (each later feature adds its own, and the README's upgrade note
// says what an existing App must add). checks: write posts the check runs
// (app/checkrun); pull_requests: read reads a pull request, its files and
// the pull requests of a commit (app/checks); contents: read reads
// descriptors, trees, blobs and commits (app/checks, app/catalogsync,
// app/platform); metadata: read lists an installation's repositories.
var permissions = map[string]string{
	"checks":        "write",
	"contents":      "read",
	"pull_requests": "read",
	"metadata":      "read",
}

// events are the webhooks the App subscribes to: those that
// checks.Routes and catalogsync.Routes handle, less installation and
// installation_repositories, which GitHub sends every App unasked and
// refuses in a manifest ("Default events unsupported").
var events = []string{
	"pull_request",
	"check_suite",
	"check_run",
	"push",
	"repository",
}

// Needs are the configured features that ask GitHub for more than the
// pull request check and discovery.
type Needs struct {
	// CentralCatalog: a central catalog on GitHub (catalog.repository) is
	// pushed with the App's installation token: contents: write.
	CentralCatalog bool
	// TemplateUpgrades: a platform repository (platform.repository) holds
	// templates whose upgrades portico opens as pull requests: the branch
	// and commit need contents: write, the pull request, its label and
	// comment pull_requests: write (app/upgrade).
	TemplateUpgrades bool
}

// Permissions returns the permissions the setup page asks for.
func Permissions(n Needs) map[string]string {
	out := make(map[string]string, len(permissions))
	for k, v := range permissions {
		out[k] = v
	}
	if n.CentralCatalog || n.TemplateUpgrades {
		out["contents"] = "write"
	}
	if n.TemplateUpgrades {
		out["pull_requests"] = "write"
	}
	return out
}

// Events returns the webhook events the setup page subscribes the App to.
func Events() []string { return append([]string(nil), events...) }

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

func newManifest(name string, public *url.URL, n Needs) manifest {
	return manifest{
		Name:               name,
		URL:                public.String(),
		Description:        "portico: checks catalog descriptors on pull requests and records the service catalog",
		HookAttributes:     hookAttributes{URL: public.JoinPath(WebhookPath).String(), Active: true},
		RedirectURL:        public.JoinPath(CallbackPath).String(),
		Public:             false,
		DefaultPermissions: Permissions(n),
		DefaultEvents:      Events(),
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
