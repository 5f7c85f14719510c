package githubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// manifestCodeLifetime is how long GitHub lets an App's creator exchange
// a manifest code.
const manifestCodeLifetime = time.Hour

// manifestCode is a code handed to a manifest's redirect_url.
type manifestCode struct {
	app     *app
	expires time.Time
}

// appManifest is what GitHub reads from the App manifest form.
type appManifest struct {
	Name           string `json:"name"`
	URL            string `json:"url"`
	HookAttributes struct {
		URL    string `json:"url"`
		Active *bool  `json:"active"`
	} `json:"hook_attributes"`
	RedirectURL        string            `json:"redirect_url"`
	SetupURL           string            `json:"setup_url"`
	DefaultEvents      []string          `json:"default_events"`
	DefaultPermissions map[string]string `json:"default_permissions"`
}

var (
	manifestPage = regexp.MustCompile(`^/(settings|organizations/[^/]+/settings)/apps/new$`)
	installPage  = regexp.MustCompile(`^/apps/([^/]+)/installations/new$`)
)

// isWebPage reports whether a request is for one of the web pages the
// fake imitates: the manifest form's target and an App's install page.
func isWebPage(r *http.Request) bool {
	return manifestPage.MatchString(r.URL.Path) || installPage.MatchString(r.URL.Path)
}

func (s *Server) serveWeb(w http.ResponseWriter, r *http.Request) {
	if m := installPage.FindStringSubmatch(r.URL.Path); m != nil {
		s.installPage(w, r, m[1])
		return
	}
	if r.Method != http.MethodPost {
		http.Error(w, "The fake GitHub creates Apps from a POSTed manifest form.", http.StatusMethodNotAllowed)
		return
	}
	s.createFromManifest(w, r)
}

// createFromManifest does at once what GitHub does after its creator
// confirms: register the App and send them to redirect_url with a code.
func (s *Server) createFromManifest(w http.ResponseWriter, r *http.Request) {
	var m appManifest
	if err := json.Unmarshal([]byte(r.FormValue("manifest")), &m); err != nil || m.RedirectURL == "" {
		http.Error(w, "Invalid GitHub App configuration: the manifest must be JSON with a redirect_url.", http.StatusUnprocessableEntity)
		return
	}
	if msg, undescribed := s.manifestEventsError(m); msg != "" {
		if len(undescribed) > 0 {
			s.violate(Violation{Kind: "undescribed event", Method: r.Method, Path: r.URL.Path, Err: msg})
		}
		// GitHub shows the form again with the error and creates nothing.
		http.Error(w, msg, http.StatusUnprocessableEntity)
		return
	}
	owner := DefaultSender
	if strings.HasPrefix(r.URL.Path, "/organizations/") {
		owner = strings.Split(r.URL.Path, "/")[2]
	}
	key, err := s.newAppKey()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	opts := AppOptions{Name: m.Name, Owner: owner, Events: m.DefaultEvents, Permissions: m.DefaultPermissions, SetupURL: m.SetupURL}
	if m.HookAttributes.Active == nil || *m.HookAttributes.Active {
		opts.WebhookURL = m.HookAttributes.URL
	}
	if opts.Events == nil {
		opts.Events = []string{}
	}
	a := s.registerApp(opts, key)
	s.mu.Lock()
	a.homepage = m.URL
	code := randomString(20)
	s.st.manifestCodes[code] = manifestCode{app: a, expires: time.Now().Add(manifestCodeLifetime)}
	s.mu.Unlock()
	s.deliverPing(a)
	http.Redirect(w, r, withCode(m.RedirectURL, code, r), http.StatusFound)
}

// withCode adds the manifest code, and the state the form carried in its
// URL or fields, to the redirect URL.
func withCode(redirect, code string, r *http.Request) string {
	q := url.Values{"code": {code}}
	if st := r.URL.Query().Get("state"); st != "" {
		q.Set("state", st)
	} else if st := r.FormValue("state"); st != "" {
		q.Set("state", st)
	}
	sep := "?"
	if strings.Contains(redirect, "?") {
		sep = "&"
	}
	return redirect + sep + q.Encode()
}

// convertManifest exchanges a manifest code, once, for the App's
// credentials.
func (s *Server) convertManifest(c *call) {
	s.mu.Lock()
	mc, ok := s.st.manifestCodes[c.params["code"]]
	delete(s.st.manifestCodes, c.params["code"])
	s.mu.Unlock()
	if !ok || time.Now().After(mc.expires) {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.appJSON(mc.app)
	o["client_id"], o["client_secret"] = mc.app.clientID, mc.app.clientSecret
	o["webhook_secret"], o["pem"] = mc.app.webhookSecret, string(mc.app.pem)
	c.json(http.StatusCreated, o)
}

// installPage installs an App on the account named by ?account= (default
// DefaultSender's) for all its repositories, then goes to the App's setup
// URL as GitHub does, or says what it did.
func (s *Server) installPage(w http.ResponseWriter, r *http.Request, slug string) {
	s.mu.Lock()
	var a *app
	for _, x := range s.st.apps {
		if x.slug == slug {
			a = x
		}
	}
	s.mu.Unlock()
	if a == nil {
		// The fake keeps Apps in memory: after a restart, this is the
		// page a newcomer following an old link lands on.
		http.Error(w, "No such App. The fake GitHub forgets its Apps when it stops: create the App again "+
			"(portico dev github --create-app DIR makes one at every start).", http.StatusNotFound)
		return
	}
	account := r.URL.Query().Get("account")
	if account == "" {
		account = DefaultSender
	}
	id, err := s.CreateInstallation(a.id, account)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if a.setupURL != "" {
		http.Redirect(w, r, fmt.Sprintf("%s?installation_id=%d&setup_action=install", a.setupURL, id), http.StatusFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "Installed %s on %s: installation %d.\n", a.slug, account, id)
}
