package githubtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// DefaultSender is the user who acts when a method is not told who does:
// installs Apps, opens pull requests, comments.
const DefaultSender = "octocat"

// defaultPermissions let an App do everything the fake serves; tests of
// least privilege give their App the setup page's (setup.Permissions).
var defaultPermissions = map[string]string{
	"checks": "write", "contents": "write", "issues": "write",
	"pull_requests": "write", "metadata": "read",
}

// AppOptions describe an App to register; every field is optional.
type AppOptions struct {
	Name          string            // default "portico"; the slug is derived from it
	Owner         string            // the account that owns the App, default DefaultSender
	WebhookURL    string            // default the server's WithWebhookDefaults
	WebhookSecret string            // default the server's, else random
	Events        []string          // events subscribed to; nil: every event
	Permissions   map[string]string // nil: checks, contents, issues, pull_requests write; metadata read
	SetupURL      string            // where installing the App through the web flow redirects
}

// App is a registered App, with the credentials its owner receives.
type App struct {
	ID            int64
	Slug          string
	ClientID      string
	ClientSecret  string
	WebhookURL    string
	WebhookSecret string
	PrivateKeyPEM []byte // PKCS#1 "RSA PRIVATE KEY", as GitHub hands it out
}

// CreateApp registers an App. When it has a webhook URL, GitHub's ping
// is delivered to it.
func (s *Server) CreateApp(opts AppOptions) (App, error) {
	key, err := s.newAppKey()
	if err != nil {
		return App{}, fmt.Errorf("create app: %w", err)
	}
	a := s.registerApp(opts, key)
	s.deliverPing(a)
	return s.appCredentials(a), nil
}

// appKeys are the private keys of Apps: the nth App of every Server in the
// process gets the nth key. Apps of one server never share a key, and
// tests, which make many servers, do not wait for a 2048-bit key each.
var appKeys struct {
	sync.Mutex
	keys []*rsa.PrivateKey
}

func (s *Server) newAppKey() (*rsa.PrivateKey, error) {
	s.mu.Lock()
	n := s.keysUsed
	s.keysUsed++
	s.mu.Unlock()
	appKeys.Lock()
	defer appKeys.Unlock()
	for len(appKeys.keys) <= n {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		appKeys.keys = append(appKeys.keys, key)
	}
	return appKeys.keys[n], nil
}

func (s *Server) registerApp(opts AppOptions, key *rsa.PrivateKey) *app {
	if opts.Name == "" {
		opts.Name = "portico"
	}
	if opts.Owner == "" {
		opts.Owner = DefaultSender
	}
	if opts.WebhookURL == "" {
		opts.WebhookURL = s.hookDefaults.url
	}
	if opts.WebhookSecret == "" {
		opts.WebhookSecret = s.hookDefaults.secret
	}
	if opts.WebhookSecret == "" {
		opts.WebhookSecret = randomString(32)
	}
	if opts.Permissions == nil {
		opts.Permissions = defaultPermissions
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := &app{
		id: s.st.newID(), name: opts.Name, owner: s.st.account(opts.Owner, "User"),
		clientID: "Iv1." + strings.ToLower(randomString(16)), clientSecret: randomString(40),
		webhookURL: opts.WebhookURL, webhookSecret: opts.WebhookSecret, hookID: s.st.newID(),
		key: key, events: opts.Events, permissions: copyMap(opts.Permissions),
		setupURL: opts.SetupURL, created: time.Now(),
	}
	a.slug = s.uniqueSlug(opts.Name)
	a.bot = s.st.account(a.slug+"[bot]", "Bot")
	a.pem = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	s.st.apps[a.id] = a
	return a
}

var slugUnsafe = regexp.MustCompile(`[^a-z0-9]+`)

func (s *Server) uniqueSlug(name string) string {
	base := strings.Trim(slugUnsafe.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if base == "" {
		base = "app"
	}
	slug := base
	for n := 2; s.slugTaken(slug); n++ {
		slug = fmt.Sprintf("%s-%d", base, n)
	}
	return slug
}

func (s *Server) slugTaken(slug string) bool {
	for _, a := range s.st.apps {
		if a.slug == slug {
			return true
		}
	}
	return false
}

func (s *Server) appCredentials(a *app) App {
	s.mu.Lock()
	defer s.mu.Unlock()
	return App{
		ID: a.id, Slug: a.slug, ClientID: a.clientID, ClientSecret: a.clientSecret,
		WebhookURL: a.webhookURL, WebhookSecret: a.webhookSecret, PrivateKeyPEM: a.pem,
	}
}

// CreateUser makes a user account; accounts that are named before they
// exist are made organisations when they own something, users otherwise.
func (s *Server) CreateUser(login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.account(login, "User")
}

// CreateInstallation installs an App on an account, for the named
// repositories of that account or, with none named, for all of them, and
// sends installation.created.
func (s *Server) CreateInstallation(appID int64, account string, repos ...string) (int64, error) {
	s.mu.Lock()
	a := s.st.apps[appID]
	if a == nil {
		s.mu.Unlock()
		return 0, fmt.Errorf("create installation: no app %d", appID)
	}
	i := &installation{
		id: s.st.newID(), app: a, account: s.st.account(account, "Organization"),
		all: len(repos) == 0, repos: map[int64]bool{}, created: time.Now(),
	}
	for _, name := range repos {
		r := s.st.repos[lower(account+"/"+name)]
		if r == nil {
			s.mu.Unlock()
			return 0, fmt.Errorf("create installation: no repository %s/%s", account, name)
		}
		i.repos[r.id] = true
	}
	s.st.installations[i.id] = i
	s.mu.Unlock()
	s.sendInstallation(i, "created")
	return i.id, nil
}

// DeleteInstallation uninstalls an App and sends installation.deleted;
// its tokens stop working.
func (s *Server) DeleteInstallation(installationID int64) error {
	s.mu.Lock()
	i := s.st.installations[installationID]
	if i == nil {
		s.mu.Unlock()
		return fmt.Errorf("delete installation: no installation %d", installationID)
	}
	delete(s.st.installations, installationID)
	for v, t := range s.st.tokens {
		if t.inst == i {
			delete(s.st.tokens, v)
		}
	}
	s.mu.Unlock()
	s.sendInstallation(i, "deleted")
	return nil
}

// AddInstallationRepos selects more repositories for an installation that
// has selected ones, and sends installation_repositories.added.
func (s *Server) AddInstallationRepos(installationID int64, repos ...string) error {
	return s.changeInstallationRepos(installationID, "added", repos)
}

// RemoveInstallationRepos deselects repositories and sends
// installation_repositories.removed.
func (s *Server) RemoveInstallationRepos(installationID int64, repos ...string) error {
	return s.changeInstallationRepos(installationID, "removed", repos)
}

func (s *Server) changeInstallationRepos(id int64, action string, names []string) error {
	s.mu.Lock()
	i := s.st.installations[id]
	if i == nil || i.all {
		s.mu.Unlock()
		return fmt.Errorf("installation repositories: no installation %d with selected repositories", id)
	}
	var changed []*repo
	for _, name := range names {
		r := s.st.repos[lower(i.account.login+"/"+name)]
		if r == nil {
			s.mu.Unlock()
			return fmt.Errorf("installation repositories: no repository %s/%s", i.account.login, name)
		}
		if action == "added" {
			i.repos[r.id] = true
		} else {
			delete(i.repos, r.id)
		}
		changed = append(changed, r)
	}
	s.mu.Unlock()
	s.sendInstallationRepos(i, action, changed)
	return nil
}

// installationRepos are the repositories an installation can reach, by id.
func (s *Server) installationRepos(i *installation) []*repo {
	var out []*repo
	for _, r := range s.st.repos {
		if r.owner == i.account && (i.all || i.repos[r.id]) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].id < out[b].id })
	return out
}

func (s *Server) getApp(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.json(http.StatusOK, s.appJSON(c.cred.app))
}

func (s *Server) listInstallations(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []any
	for _, id := range sortedIDs(s.st.installations) {
		if i := s.st.installations[id]; i.app == c.cred.app {
			all = append(all, s.installationJSON(i))
		}
	}
	lo, hi := c.page(len(all))
	c.json(http.StatusOK, append([]any{}, all[lo:hi]...))
}

func (s *Server) listInstallationRepos(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []any
	for _, r := range s.installationRepos(c.cred.tok.inst) {
		if c.cred.tok.canSee(r) {
			list = append(list, s.repoJSON(r))
		}
	}
	lo, hi := c.page(len(list))
	c.json(http.StatusOK, obj{
		"total_count": len(list), "repositories": append([]any{}, list[lo:hi]...),
		"repository_selection": selection(c.cred.tok.inst),
	})
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
