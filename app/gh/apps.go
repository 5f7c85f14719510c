package gh

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v62/github"
)

// userAgent names portico to GitHub, which requires a User-Agent.
const userAgent = "portico"

// Apps holds a GitHub App's identity and hands out its clients: one for
// the App itself (JWT) and one per installation, each built once and
// reused, so that installation tokens, rate limit state and pacing are
// shared by everything that works for that installation. Safe for
// concurrent use.
type Apps struct {
	appID int64
	key   *rsa.PrivateKey
	base  *url.URL // REST base, with a trailing slash
	o     *options
	m     *metrics
	app   *github.Client

	mu       sync.Mutex
	installs map[int64]*installation

	repoTokens repoTokens
}

type installation struct {
	client *github.Client
	tokens *ghinstallation.Transport
	limits *limits
}

// NewApps builds the App's clients for the REST API at restBase
// (https://api.github.com, https://HOST/api/v3 for GitHub Enterprise
// Server, or a fake GitHub's address).
func NewApps(appID int64, privateKeyPEM []byte, restBase string, opts ...Option) (*Apps, error) {
	if appID <= 0 {
		return nil, errors.New("github app: app id must be positive")
	}
	key, err := parsePrivateKey(privateKeyPEM)
	if err != nil {
		return nil, err
	}
	base, err := parseBase(restBase)
	if err != nil {
		return nil, err
	}
	o := newOptions(restBase, opts)
	m, err := newMetrics(o.registerer)
	if err != nil {
		return nil, err
	}
	a := &Apps{appID: appID, key: key, base: base, o: o, m: m, installs: map[int64]*installation{}}
	a.app = a.newClient(a.appsTransport(newTransport("app", base.Path, o, m)))
	return a, nil
}

// App returns the client authenticated as the App itself (a JWT), for the
// /app endpoints: installations, webhook deliveries.
func (a *Apps) App() *github.Client { return a.app }

// Installation returns the client that acts as installation id. The same
// client comes back for the same id.
func (a *Apps) Installation(id int64) (*github.Client, error) {
	inst, err := a.installation(id)
	if err != nil {
		return nil, err
	}
	return inst.client, nil
}

// Token returns installation id's access token, for git over HTTPS. It is
// the token the installation's client uses, cached until a minute before
// it expires.
func (a *Apps) Token(ctx context.Context, id int64) (string, error) {
	inst, err := a.installation(id)
	if err != nil {
		return "", err
	}
	tok, err := inst.tokens.Token(ctx)
	if err != nil {
		return "", fmt.Errorf("installation %d token: %w", id, err)
	}
	return tok, nil
}

// RateLimit returns installation id's core rate limit as the latest
// response to its client reported it; false until that client has had an
// answer that carried one. Work that can wait (discovery) reads it to
// leave a reserve for work that cannot (pull request checks).
func (a *Apps) RateLimit(id int64) (Rate, bool) {
	a.mu.Lock()
	inst, ok := a.installs[id]
	a.mu.Unlock()
	if !ok {
		return Rate{}, false
	}
	return inst.limits.core()
}

func (a *Apps) installation(id int64) (*installation, error) {
	if id <= 0 {
		return nil, fmt.Errorf("github installation id %d: must be positive", id)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if inst, ok := a.installs[id]; ok {
		return inst, nil
	}
	label := strconv.FormatInt(id, 10)
	tr := newTransport(label, a.base.Path, a.o, a.m)
	tokens := ghinstallation.NewFromAppsTransport(a.appsTransport(tr), id)
	inst := &installation{client: a.newClient(tokens), tokens: tokens, limits: tr.limits}
	a.installs[id] = inst
	return inst, nil
}

// appsTransport signs App JWTs over rt; token requests made from it for
// an installation go through rt too, and with it through retries.
func (a *Apps) appsTransport(rt http.RoundTripper) *ghinstallation.AppsTransport {
	atr := ghinstallation.NewAppsTransportFromPrivateKey(rt, a.appID, a.key)
	atr.BaseURL = strings.TrimSuffix(a.base.String(), "/")
	return atr
}

func (a *Apps) newClient(rt http.RoundTripper) *github.Client {
	return newGitHubClient(&http.Client{Transport: rt}, a.base)
}

// newGitHubClient points a go-github client at base. It sets BaseURL
// itself rather than calling WithEnterpriseURLs, which would append
// /api/v3/ to a fake GitHub's root address.
func newGitHubClient(hc *http.Client, base *url.URL) *github.Client {
	c := github.NewClient(hc)
	c.UserAgent = userAgent
	b := *base
	c.BaseURL = &b
	if b.Host != "api.github.com" {
		up := b
		if strings.HasSuffix(up.Path, "/api/v3/") {
			up.Path = strings.TrimSuffix(up.Path, "v3/") + "uploads/"
		}
		c.UploadURL = &up
	}
	return c
}

func parseBase(restBase string) (*url.URL, error) {
	u, err := url.Parse(restBase)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("github url: %q is not an absolute http(s) URL", restBase)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawPath = ""
	return u, nil
}

// parsePrivateKey reads a PKCS#1 or PKCS#8 RSA key. Its errors never
// quote the key.
func parsePrivateKey(data []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("github app private key: not PEM")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if rk, ok := k.(*rsa.PrivateKey); err == nil && ok {
		return rk, nil
	}
	return nil, fmt.Errorf("github app private key: PEM block %q is not an RSA private key", block.Type)
}
