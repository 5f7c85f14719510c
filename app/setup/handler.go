package setup

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/portico-dev/portico/app/config"
)

// Handler serves the setup page and its callback. It is an http.Handler
// for GET / (and /setup) and GET /setup/callback; the server mounts it
// while no App is configured.
type Handler struct {
	restBase  string
	webURL    string
	dataDir   string
	onCreated func(*config.AppCredentials)
	publicURL *url.URL // nil: derived from each request
	appName   string
	// needs are the configured features that widen the permissions.
	needs  Needs
	logger *slog.Logger
	states *states

	// completing serialises callbacks: two tabs must not both save.
	completing sync.Mutex
	mu         sync.Mutex
	created    *config.AppCredentials
}

// Option configures a Handler.
type Option func(*Handler) error

// WithPublicURL sets the address GitHub and browsers reach portico at
// (config's public_url). Without it, or with "", the address comes from
// the Host of the request for the page.
func WithPublicURL(public string) Option {
	return func(h *Handler) error {
		if public == "" {
			return nil
		}
		u, err := url.Parse(public)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("setup: public URL %q is not an absolute http(s) URL", public)
		}
		u.Path = strings.TrimSuffix(u.Path, "/")
		u.RawPath, u.RawQuery, u.Fragment = "", "", ""
		h.publicURL = u
		return nil
	}
}

// WithAppName sets the App name the manifest proposes (DefaultAppName).
func WithAppName(name string) Option {
	return func(h *Handler) error { h.appName = name; return nil }
}

// WithCatalogRepository tells the page where the central catalog lives
// (config's catalog.repository): when it is a repository on GitHub, the
// App pushes to it and the manifest asks for contents: write; otherwise
// contents: read is enough.
func WithCatalogRepository(repo string) Option {
	return func(h *Handler) error { h.needs.CentralCatalog = repo != ""; return nil }
}

// WithPlatformRepository tells the page where the platform configuration
// lives (config's platform.repository): its templates' upgrades are pull
// requests, so the manifest asks for contents and pull_requests: write.
func WithPlatformRepository(repo string) Option {
	return func(h *Handler) error { h.needs.TemplateUpgrades = repo != ""; return nil }
}

// WithLogger sets where the handler logs failures.
func WithLogger(l *slog.Logger) Option {
	return func(h *Handler) error { h.logger = l; return nil }
}

// WithRandom sets the source of states (crypto/rand by default); tests
// use it for reproducible pages.
func WithRandom(r io.Reader) Option {
	return func(h *Handler) error { h.states.random = r; return nil }
}

// WithNow sets the clock that states expire by.
func WithNow(now func() time.Time) Option {
	return func(h *Handler) error { h.states.now = now; return nil }
}

// New returns the setup handler for the GitHub REST API at githubURL,
// saving credentials in dataDir and then calling onCreated (which may be
// nil) with them.
func New(githubURL, dataDir string, onCreated func(*config.AppCredentials), opts ...Option) (*Handler, error) {
	web, err := config.WebURL(githubURL)
	if err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	if dataDir == "" {
		return nil, errors.New("setup: a data directory is required")
	}
	h := &Handler{
		restBase: githubURL, webURL: web, dataDir: dataDir, onCreated: onCreated,
		appName: DefaultAppName, logger: slog.Default(),
		states: &states{random: rand.Reader, now: time.Now, expires: map[string]time.Time{}},
	}
	for _, opt := range opts {
		if err := opt(h); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	secureHeaders(w.Header())
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case "/", "/setup", "/setup/":
		h.page(w, r)
	case CallbackPath:
		h.callback(w, r)
	default:
		http.NotFound(w, r)
	}
}

// Created returns the App the handler created, or nil before that.
func (h *Handler) Created() *config.AppCredentials {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.created
}

// secureHeaders keep the pages out of caches and frames, and the callback
// URL (which carries the one-time code) out of Referer headers.
func secureHeaders(hd http.Header) {
	hd.Set("Cache-Control", "no-store")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
}
