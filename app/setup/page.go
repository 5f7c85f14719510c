package setup

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

//go:embed templates/*.html
var templateFS embed.FS

var pages = template.Must(template.ParseFS(templateFS, "templates/*.html"))

// orgName is a GitHub organisation login.
var orgName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,38}$`)

// setupPage is what templates/setup.html shows.
type setupPage struct {
	AppName     string
	Org         string
	Action      string // where the form posts the manifest, with the state
	Manifest    string // compact JSON, posted
	Pretty      string // indented JSON, shown
	PublicURL   string
	Unreachable bool // GitHub cannot deliver webhooks to PublicURL
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	if created := h.Created(); created != nil {
		h.render(w, http.StatusOK, "done.html", newDonePage(created))
		return
	}
	org := r.URL.Query().Get("org")
	if org != "" && !orgName.MatchString(org) {
		h.problem(w, http.StatusBadRequest, "Not an organisation name", fmt.Sprintf("%q is not a GitHub organisation name.", org))
		return
	}
	public, err := h.public(r)
	if err != nil {
		h.problem(w, http.StatusBadRequest, "Unknown address", err.Error())
		return
	}
	state, err := h.states.issue()
	if err != nil {
		h.logger.ErrorContext(r.Context(), "setup page", "err", err)
		h.problem(w, http.StatusInternalServerError, "Setup failed", "portico could not make a random state; see its log.")
		return
	}
	manifest, pretty := newManifest(h.appName, public, h.needs).encode()
	h.render(w, http.StatusOK, "setup.html", setupPage{
		AppName:     h.appName,
		Org:         org,
		Action:      h.action(org, state),
		Manifest:    manifest,
		Pretty:      pretty,
		PublicURL:   public.String(),
		Unreachable: unreachable(public.Hostname()),
	})
}

// action is GitHub's page that creates an App from a manifest, for the
// user's own account or for an organisation.
func (h *Handler) action(org, state string) string {
	path := "/settings/apps/new"
	if org != "" {
		path = "/organizations/" + org + path
	}
	return h.webURL + path + "?" + url.Values{"state": {state}}.Encode()
}

// public is the address GitHub and browsers reach portico at.
func (h *Handler) public(r *http.Request) (*url.URL, error) {
	if h.publicURL != nil {
		return h.publicURL, nil
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	u, err := url.Parse(scheme + "://" + r.Host)
	if err != nil || r.Host == "" || u.Host != r.Host || u.Path != "" || u.User != nil {
		return nil, fmt.Errorf("the request's Host %q is not an address; set public_url", r.Host)
	}
	return u, nil
}

// unreachable recognises addresses GitHub cannot send webhooks to.
func unreachable(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".local") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsLinkLocalUnicast())
}

// render buffers the page so that a template error becomes a 500 rather
// than half a page.
func (h *Handler) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		h.logger.Error("render setup page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// problemPage is what templates/problem.html shows.
type problemPage struct {
	Title, Message string
}

func (h *Handler) problem(w http.ResponseWriter, status int, title, message string) {
	h.render(w, status, "problem.html", problemPage{Title: title, Message: message})
}
