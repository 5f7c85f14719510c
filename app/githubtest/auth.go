package githubtest

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

const (
	tokenLifetime  = time.Hour
	maxJWTLifetime = 10 * time.Minute
	clockDrift     = time.Minute
)

// credentials are what a request's Authorization header proves.
type credentials struct {
	present bool   // an Authorization header was sent
	app     *app   // a valid App JWT
	tok     *token // a live installation token
	err     string // why the presented credentials are refused
}

func (s *Server) credentials(r *http.Request) credentials {
	h := r.Header.Get("Authorization")
	if h == "" {
		return credentials{}
	}
	scheme, value, _ := strings.Cut(h, " ")
	switch lower(scheme) {
	case "token", "bearer":
	case "basic":
		_, value, _ = r.BasicAuth()
	default:
		return credentials{present: true, err: "Bad credentials"}
	}
	value = strings.TrimSpace(value)
	if strings.Count(value, ".") == 2 {
		return s.verifyJWT(value)
	}
	if t := s.liveToken(value); t != nil {
		return credentials{present: true, tok: t}
	}
	return credentials{present: true, err: "Bad credentials"}
}

func (s *Server) liveToken(value string) *token {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.st.tokens[value]
	if t == nil || !time.Now().Before(t.expires) {
		return nil
	}
	return t
}

// verifyJWT checks an App JWT as GitHub does: RS256, signed by the key of
// the App named by iss (its id, as a number or a string, or its client
// id), with iat and an exp at most ten minutes ahead.
func (s *Server) verifyJWT(raw string) credentials {
	var a *app
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) {
		if a = s.appByIssuer(claims["iss"]); a == nil {
			return nil, fmt.Errorf("unknown issuer")
		}
		return &a.key.PublicKey, nil
	}, jwt.WithValidMethods([]string{"RS256"}))
	if err != nil {
		if a == nil && claims["iss"] != nil {
			return credentials{present: true, err: "Integration not found"}
		}
		return credentials{present: true, err: "A JSON web token could not be decoded"}
	}
	if msg := checkTimes(claims, time.Now()); msg != "" {
		return credentials{present: true, err: msg}
	}
	return credentials{present: true, app: a}
}

func checkTimes(claims jwt.MapClaims, now time.Time) string {
	exp, ok := claims["exp"].(float64)
	if !ok || time.Unix(int64(exp), 0).Before(now) {
		return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
	}
	if time.Unix(int64(exp), 0).After(now.Add(maxJWTLifetime + clockDrift)) {
		return "'Expiration time' claim ('exp') is too far in the future"
	}
	iat, ok := claims["iat"].(float64)
	if !ok || time.Unix(int64(iat), 0).After(now.Add(clockDrift)) {
		return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
	}
	return ""
}

func (s *Server) appByIssuer(iss any) *app {
	s.mu.Lock()
	defer s.mu.Unlock()
	var id int64
	switch v := iss.(type) {
	case float64:
		id = int64(v)
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			for _, a := range s.st.apps {
				if a.clientID == v {
					return a
				}
			}
			return nil
		}
		id = n
	}
	return s.st.apps[id]
}

// authorize answers 401 when the request lacks what the operation needs.
func (c *call) authorize(kind authKind) bool {
	var ok bool
	var msg string
	switch kind {
	case authNone:
		return true
	case authApp:
		ok, msg = c.cred.app != nil, "A JSON web token could not be decoded"
	case authInstallation:
		ok, msg = c.cred.tok != nil, "Bad credentials"
	}
	if ok {
		return true
	}
	switch {
	case !c.cred.present:
		msg = "Requires authentication"
	case c.cred.err != "":
		msg = c.cred.err
	}
	c.error(http.StatusUnauthorized, msg)
	return false
}

// repo finds the request's repository when the token may see it, and
// answers 404 otherwise, as GitHub hides what a token cannot reach.
func (c *call) repo() *repo {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.st.repos[lower(c.params["owner"]+"/"+c.params["repo"])]
	if r == nil || c.cred.tok == nil || !c.cred.tok.canSee(r) {
		c.error(http.StatusNotFound, "Not Found")
		return nil
	}
	return r
}

func (t *token) canSee(r *repo) bool {
	if t.inst.account != r.owner || (t.repos != nil && !t.repos[r.id]) {
		return false
	}
	return t.inst.all || t.inst.repos[r.id]
}

// permitted answers 403 unless the token's App has permission at level
// ("read" or "write") or above.
func (c *call) permitted(permission, level string) bool {
	c.s.mu.Lock()
	perms := c.cred.tok.permissions
	if perms == nil {
		perms = c.cred.tok.inst.app.permissions
	}
	have := perms[permission]
	c.s.mu.Unlock()
	if have == "write" || have == "admin" || (have == "read" && level == "read") {
		return true
	}
	c.error(http.StatusForbidden, "Resource not accessible by integration")
	return false
}

// tokenRequest is the body of POST .../access_tokens: a token may be
// narrowed to some repositories and permissions.
type tokenRequest struct {
	Repositories  []string          `json:"repositories"`
	RepositoryIDs []int64           `json:"repository_ids"`
	Permissions   map[string]string `json:"permissions"`
}

func (s *Server) createToken(c *call) {
	var req tokenRequest
	if len(c.body) > 0 && !c.decode(&req) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.st.installations[c.intParam("installation_id")]
	if i == nil || i.app != c.cred.app {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	t := &token{value: newTokenValue(), inst: i, expires: time.Now().Add(tokenLifetime).Truncate(time.Second)}
	repos, ok := s.narrowRepos(i, req)
	if !ok {
		c.error(http.StatusUnprocessableEntity, "There is at least one repository that does not exist or is not accessible to the parent installation.")
		return
	}
	if !narrowPermissions(t, i.app.permissions, req.Permissions) {
		c.error(http.StatusUnprocessableEntity, "The permissions requested are not granted to this installation.")
		return
	}
	resp := obj{"token": t.value, "expires_at": ts(t.expires), "repository_selection": selection(i)}
	if repos != nil {
		t.repos = map[int64]bool{}
		var list []any
		for _, r := range repos {
			t.repos[r.id] = true
			list = append(list, s.repoJSON(r))
		}
		resp["repository_selection"], resp["repositories"] = "selected", list
	}
	resp["permissions"] = t.permissions
	if t.permissions == nil {
		resp["permissions"] = i.app.permissions
	}
	s.st.tokens[t.value] = t
	c.json(http.StatusCreated, resp)
}

// narrowRepos resolves the repositories a token request names (nil when
// it names none); ok is false when one is out of the installation's reach.
func (s *Server) narrowRepos(i *installation, req tokenRequest) (repos []*repo, ok bool) {
	if len(req.Repositories)+len(req.RepositoryIDs) == 0 {
		return nil, true
	}
	reach := s.installationRepos(i)
	find := func(match func(*repo) bool) bool {
		for _, r := range reach {
			if match(r) {
				repos = append(repos, r)
				return true
			}
		}
		return false
	}
	for _, name := range req.Repositories {
		if !find(func(r *repo) bool { return strings.EqualFold(r.name, name) }) {
			return nil, false
		}
	}
	for _, id := range req.RepositoryIDs {
		if !find(func(r *repo) bool { return r.id == id }) {
			return nil, false
		}
	}
	return repos, true
}

func narrowPermissions(t *token, granted, asked map[string]string) bool {
	if len(asked) == 0 {
		return true
	}
	for p, level := range asked {
		have := granted[p]
		if have == "" || (have == "read" && level != "read") {
			return false
		}
	}
	t.permissions = copyMap(asked)
	return true
}

// newTokenValue is a token in GitHub's installation token format.
func newTokenValue() string { return "ghs_" + randomString(36) }

const alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randomString(n int) string {
	b := make([]byte, n)
	for i := range b {
		k, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphanumeric))))
		if err != nil {
			panic(err)
		}
		b[i] = alphanumeric[k.Int64()]
	}
	return string(b)
}

// ExpireTokens makes every installation token issued so far invalid, so a
// test can check that a client fetches a new one.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.st.tokens {
		t.expires = time.Now().Add(-time.Second)
	}
}

// InstallationToken creates an App with the default permissions, installs
// it on every repository of account and returns an installation token, for
// tests that need Git or REST access as an installation and not the App's
// own flow.
func (s *Server) InstallationToken(account string) (string, error) {
	a, err := s.CreateApp(AppOptions{Name: "token-" + account})
	if err != nil {
		return "", err
	}
	id, err := s.CreateInstallation(a.ID, account)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &token{value: newTokenValue(), inst: s.st.installations[id], expires: time.Now().Add(tokenLifetime).Truncate(time.Second)}
	s.st.tokens[t.value] = t
	return t.value, nil
}
