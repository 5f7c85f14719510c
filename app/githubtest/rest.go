package githubtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

const (
	maxRequestBody = 25 << 20
	docsURL        = "https://docs.github.com/rest"
)

// authKind is what an operation needs to be called.
type authKind int

const (
	authNone         authKind = iota
	authApp                   // the App's JWT
	authInstallation          // an installation access token
)

// handler serves one operation of the description.
type handler struct {
	auth authKind
	fn   func(*call)
}

// call is one REST request on its way through the fake. Handlers never
// write to the connection: they leave status, header and body here, so
// the response can be checked against the description first.
type call struct {
	s      *Server
	r      *http.Request
	rt     *route
	params map[string]string
	body   []byte
	cred   credentials
	status int
	header http.Header
	out    []byte
	raw    bool // out is file content, not JSON
}

func (s *Server) restHandlers() map[string]handler {
	return map[string]handler{
		"GET /app":               {authApp, s.getApp},
		"GET /app/installations": {authApp, s.listInstallations},
		"POST /app/installations/{installation_id}/access_tokens":           {authApp, s.createToken},
		"GET /app/hook/deliveries":                                          {authApp, s.listDeliveries},
		"POST /app/hook/deliveries/{delivery_id}/attempts":                  {authApp, s.redeliver},
		"POST /app-manifests/{code}/conversions":                            {authNone, s.convertManifest},
		"GET /installation/repositories":                                    {authInstallation, s.listInstallationRepos},
		"GET /repos/{owner}/{repo}":                                         {authInstallation, s.getRepo},
		"GET /repos/{owner}/{repo}/branches/{branch}":                       {authInstallation, s.getBranch},
		"GET /repos/{owner}/{repo}/contents/{path}":                         {authInstallation, s.getContents},
		"GET /repos/{owner}/{repo}/languages":                               {authInstallation, s.listLanguages},
		"GET /repos/{owner}/{repo}/git/trees/{tree_sha}":                    {authInstallation, s.getTree},
		"GET /repos/{owner}/{repo}/git/blobs/{file_sha}":                    {authInstallation, s.getBlob},
		"POST /repos/{owner}/{repo}/git/blobs":                              {authInstallation, s.createBlob},
		"POST /repos/{owner}/{repo}/git/trees":                              {authInstallation, s.createTree},
		"GET /repos/{owner}/{repo}/git/commits/{commit_sha}":                {authInstallation, s.getGitCommit},
		"POST /repos/{owner}/{repo}/git/commits":                            {authInstallation, s.createGitCommit},
		"GET /repos/{owner}/{repo}/git/ref/{ref}":                           {authInstallation, s.getRef},
		"POST /repos/{owner}/{repo}/git/refs":                               {authInstallation, s.createRef},
		"PATCH /repos/{owner}/{repo}/git/refs/{ref}":                        {authInstallation, s.updateRef},
		"GET /repos/{owner}/{repo}/pulls":                                   {authInstallation, s.listPulls},
		"POST /repos/{owner}/{repo}/pulls":                                  {authInstallation, s.createPull},
		"PATCH /repos/{owner}/{repo}/pulls/{pull_number}":                   {authInstallation, s.updatePull},
		"POST /repos/{owner}/{repo}/issues/{issue_number}/labels":           {authInstallation, s.addLabels},
		"GET /repos/{owner}/{repo}/commits/{ref}":                           {authInstallation, s.getCommit},
		"GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls":              {authInstallation, s.listPullsForCommit},
		"GET /repos/{owner}/{repo}/collaborators/{username}/permission":     {authInstallation, s.getPermission},
		"GET /repos/{owner}/{repo}/pulls/{pull_number}":                     {authInstallation, s.getPull},
		"GET /repos/{owner}/{repo}/pulls/{pull_number}/files":               {authInstallation, s.listPullFiles},
		"POST /repos/{owner}/{repo}/check-runs":                             {authInstallation, s.createCheckRun},
		"GET /repos/{owner}/{repo}/check-runs/{check_run_id}":               {authInstallation, s.getCheckRun},
		"PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}":             {authInstallation, s.updateCheckRun},
		"GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations":   {authInstallation, s.listAnnotations},
		"GET /repos/{owner}/{repo}/commits/{ref}/check-runs":                {authInstallation, s.listCheckRunsForRef},
		"GET /repos/{owner}/{repo}/issues/{issue_number}/comments":          {authInstallation, s.listComments},
		"POST /repos/{owner}/{repo}/issues/{issue_number}/comments":         {authInstallation, s.createComment},
		"POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions": {authInstallation, s.createReaction},
	}
}

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.EscapedPath(), "/api/v3")
	c := &call{s: s, r: r, header: http.Header{}}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil || len(body) > maxRequestBody {
		c.error(http.StatusRequestEntityTooLarge, "Request body too large")
		s.write(w, c, nil)
		return
	}
	if string(bytes.TrimSpace(body)) == "null" {
		// GitHub reads a JSON null body as no body (ghinstallation sends
		// one when it asks for a token); the description does not allow it.
		body = nil
	}
	c.body = body
	r.Body, r.GetBody = io.NopCloser(bytes.NewReader(body)), func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(body)), nil
	}
	rt, params, unknown := s.spec.match(r.Method, path)
	c.rt, c.params, c.cred = rt, params, s.credentials(r)
	s.count(c, path)
	b := s.consume(c.cred)
	if !s.applyFault(c, path, b) {
		s.route(c, unknown)
	}
	s.write(w, c, b)
}

// route validates the request and calls its handler; unknown says why
// there is no operation for it.
func (s *Server) route(c *call, unknown string) {
	if c.rt == nil {
		c.violation("unknown endpoint", unknown)
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	if err := s.spec.validateRequest(c.r.Context(), c.r, c.rt, c.params); err != nil {
		c.violation("invalid request", err.Error())
		c.error(http.StatusUnprocessableEntity, "Invalid request.\n\n"+err.Error())
		return
	}
	h, ok := s.handlers[c.rt.key()]
	if !ok {
		c.violation("unknown endpoint", "in the description but not served by the fake")
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	if c.authorize(h.auth) {
		h.fn(c)
	}
}

func (rt *route) key() string { return rt.kin.Method + " " + rt.kin.Path }

// write sends the response with GitHub's headers, after checking it
// against the description.
func (s *Server) write(w http.ResponseWriter, c *call, b *bucketState) {
	h := w.Header()
	for k, v := range c.header {
		h[k] = v
	}
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	h.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	h.Set("X-GitHub-Request-Id", fmt.Sprintf("FAKE:%X", time.Now().UnixNano()))
	if b != nil {
		b.setHeaders(h)
	}
	if c.out != nil && h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	if c.status == 0 {
		c.status = http.StatusOK
	}
	if s.checkResponses && c.rt != nil && c.out != nil && !c.raw {
		if err := s.spec.validateResponse(c.r.Context(), c.r, c.rt, c.params, c.status, h, c.out); err != nil {
			c.violation("invalid response", err.Error())
		}
	}
	s.log.Info("githubtest: request", "method", c.r.Method, "path", c.r.URL.RequestURI(), "status", c.status)
	w.WriteHeader(c.status)
	w.Write(c.out)
}

func (c *call) violation(kind, err string) {
	c.s.violate(Violation{Kind: kind, Method: c.r.Method, Path: c.r.URL.RequestURI(), Err: err})
}

// json answers v, completed to the operation's response schema.
func (c *call) json(status int, v any) {
	sc := c.rtSchema(status)
	f := c.s.filler()
	filled, err := f.fillJSON(sc, v)
	if err != nil {
		c.error(http.StatusInternalServerError, "encode response: "+err.Error())
		return
	}
	c.status = status
	c.out, _ = json.Marshal(filled)
}

func (c *call) rtSchema(status int) *openapi3.SchemaRef {
	if c.rt == nil {
		return nil
	}
	return c.rt.responseSchema(status)
}

// error answers GitHub's error shape.
func (c *call) error(status int, msg string) {
	c.status = status
	c.out, _ = json.Marshal(obj{"message": msg, "documentation_url": docsURL, "status": strconv.Itoa(status)})
}

// validationFailed answers 422 as GitHub does for a semantic error.
func (c *call) validationFailed(resource, field, code, msg string) {
	c.status = http.StatusUnprocessableEntity
	e := obj{"resource": resource, "code": code, "field": field}
	if msg != "" {
		e["message"] = msg
	}
	c.out, _ = json.Marshal(obj{
		"message": "Validation Failed", "errors": []any{e},
		"documentation_url": docsURL, "status": "422",
	})
}

// wantsRaw reports whether the client asked for file content itself
// (application/vnd.github.raw, or .v3.raw) rather than JSON.
func (c *call) wantsRaw() bool {
	accept := c.r.Header.Get("Accept")
	return strings.Contains(accept, "vnd.github.raw") || strings.Contains(accept, "vnd.github.v3.raw")
}

// rawContent answers file content as GitHub does for the raw media type.
func (c *call) rawContent(data []byte) {
	c.status, c.out, c.raw = http.StatusOK, data, true
	c.header.Set("Content-Type", "application/vnd.github.raw")
}

// decode reads the request body, already validated against the schema.
func (c *call) decode(v any) bool {
	if err := json.Unmarshal(c.body, v); err != nil {
		c.error(http.StatusBadRequest, "Problems parsing JSON")
		return false
	}
	return true
}

func (c *call) query(name string) string { return c.r.URL.Query().Get(name) }

func (c *call) intParam(name string) int64 {
	n, _ := strconv.ParseInt(c.params[name], 10, 64)
	return n
}

func (c *call) intQuery(name string, def int) int {
	n, err := strconv.Atoi(c.query(name))
	if err != nil {
		return def
	}
	return n
}

// page picks the slice [lo, hi) of n items that per_page and page ask for
// (30 by default, at most 100) and sets the Link header as GitHub does.
func (c *call) page(n int) (lo, hi int) { return c.pageOf(n, 30, 100) }

// pageOf is page with another default and maximum page size.
func (c *call) pageOf(n, defaultPer, maxPer int) (lo, hi int) {
	per := c.intQuery("per_page", defaultPer)
	if per < 1 {
		per = defaultPer
	}
	per = min(per, maxPer)
	page := max(c.intQuery("page", 1), 1)
	last := max((n+per-1)/per, 1)
	lo = min(n, (page-1)*per)
	hi = min(n, lo+per)
	var links []string
	link := func(p int, rel string) {
		q := c.r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		links = append(links, fmt.Sprintf("<%s%s?%s>; rel=%q", c.s.base, c.r.URL.EscapedPath(), q.Encode(), rel))
	}
	if page > 1 {
		link(min(page-1, last), "prev")
	}
	if page < last {
		link(page+1, "next")
		link(last, "last")
	}
	if page > 1 {
		link(1, "first")
	}
	if len(links) > 0 {
		c.header.Set("Link", strings.Join(links, ", "))
	}
	return lo, hi
}

// obj is a JSON object under construction.
type obj = map[string]any

func (s *Server) filler() *filler { return &filler{base: s.base, now: ts(time.Now())} }

// ts formats a time as GitHub does: UTC, whole seconds.
func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// tsOrNil is ts, or null for the zero time.
func tsOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}
