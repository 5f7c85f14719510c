package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/setup"
)

// setupCookie carries the one-time setup token after the first visit, so
// that the browser returning from GitHub is let back in.
const setupCookie = "portico_setup"

// newSetup returns the setup page behind a one-time token printed in the
// log: whoever reaches a fresh server first must also be able to read its
// log to create the App.
func newSetup(s *Server) (http.Handler, error) {
	onCreated := func(c *config.AppCredentials) {
		cfg := *s.cfg
		cfg.GitHub.AppID, cfg.GitHub.PrivateKey, cfg.GitHub.WebhookSecret = c.AppID, c.PrivateKey, c.WebhookSecret
		if err := s.enterAppMode(context.Background(), &cfg); err != nil {
			s.log.Error("the App was created but portico cannot use it; restart portico", "error", err)
		}
	}
	h, err := setup.New(s.cfg.GitHub.URL, s.cfg.DataDir, onCreated, setup.WithPublicURL(s.cfg.PublicURL),
		setup.WithCatalogRepository(s.cfg.Catalog.Repository), setup.WithPlatformRepository(s.cfg.Platform.Repository), setup.WithLogger(s.log))
	if err != nil {
		return nil, err
	}
	token := make([]byte, 16)
	if _, err := rand.Read(token); err != nil {
		return nil, err
	}
	t := hex.EncodeToString(token)
	s.log.Warn("no GitHub App configured: open the setup page to create one", "url", publicBase(s.cfg)+"/setup?token="+t)
	return guardSetup(t, h), nil
}

func guardSetup(token string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if q := r.URL.Query().Get("token"); q != "" && subtle.ConstantTimeCompare([]byte(q), []byte(token)) == 1 {
			http.SetCookie(w, &http.Cookie{Name: setupCookie, Value: token, Path: "/", HttpOnly: true,
				SameSite: http.SameSiteLaxMode, Expires: time.Now().Add(time.Hour)})
			next.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(setupCookie); err == nil && subtle.ConstantTimeCompare([]byte(c.Value), []byte(token)) == 1 {
			next.ServeHTTP(w, r)
			return
		}
		http.Error(w, "open the setup URL that portico printed in its log (it carries a one-time token)", http.StatusForbidden)
	})
}

// publicBase is the address to tell a person to open: the configured
// public URL, or the listen address on this machine.
func publicBase(cfg *config.Config) string {
	if cfg.PublicURL != "" {
		return strings.TrimSuffix(cfg.PublicURL, "/")
	}
	host, port, err := net.SplitHostPort(cfg.Listen)
	if err != nil {
		return "http://localhost"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
