package githubtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// AdminRoutes lists the admin API, served as JSON under /_admin/ for
// people and load tests driving a standalone fake. Bodies are JSON
// objects; errors come back as {"error": "..."} with status 400 or 404.
var AdminRoutes = []string{
	"GET    /_admin/                                              this list",
	"POST   /_admin/apps                                          {name, owner, webhook_url, webhook_secret, events, permissions, setup_url} -> {id, slug, client_id, webhook_secret, private_key_path}",
	"POST   /_admin/users                                         {login}",
	"POST   /_admin/installations                                 {app_id, account, repositories} -> {id} (no repositories: all)",
	"DELETE /_admin/installations/{id}",
	"POST   /_admin/installations/{id}/repositories               {add: [...], remove: [...]}",
	"POST   /_admin/repos                                         {owner, name, default_branch, private} -> {full_name, clone_url}",
	"POST   /_admin/repos/{owner}/{repo}/forks                    {owner}",
	"POST   /_admin/repos/{owner}/{repo}/rename                   {name}",
	"DELETE /_admin/repos/{owner}/{repo}",
	"PUT    /_admin/repos/{owner}/{repo}/collaborators/{user}     {role}",
	"POST   /_admin/repos/{owner}/{repo}/commits                  {branch, message, files: {path: content or null}} -> {sha}",
	"POST   /_admin/repos/{owner}/{repo}/pulls                    {head, base, title, body, draft, author} -> pull request",
	"GET    /_admin/repos/{owner}/{repo}/pulls/{number}",
	"POST   /_admin/repos/{owner}/{repo}/pulls/{number}/commits   {message, files} -> {sha}",
	"POST   /_admin/repos/{owner}/{repo}/pulls/{number}/{close|reopen|ready}",
	"POST   /_admin/repos/{owner}/{repo}/issues                   {title, body} -> {number}",
	"POST   /_admin/repos/{owner}/{repo}/issues/{number}/comments {user, body} -> comment",
	"GET    /_admin/repos/{owner}/{repo}/issues/{number}/comments",
	"GET    /_admin/repos/{owner}/{repo}/check-runs?sha=SHA",
	"POST   /_admin/repos/{owner}/{repo}/check-suites/rerequest   {sha}",
	"POST   /_admin/repos/{owner}/{repo}/check-runs/{id}/rerequest",
	"GET    /_admin/deliveries",
	"POST   /_admin/deliveries/{id}/redeliver",
	"POST   /_admin/faults                                        {method, path_prefix, status, primary, retry_after: \"2s\", times, latency: \"100ms\"}",
	"DELETE /_admin/faults",
	"GET    /_admin/violations",
	"GET    /_admin/requests",
}

// adminFunc handles an admin request and returns what to answer.
type adminFunc func(r *http.Request) (any, error)

// errNotFound makes an admin answer 404.
var errNotFound = errors.New("not found")

func (s *Server) adminHandler() http.Handler {
	mux := http.NewServeMux()
	for pattern, fn := range map[string]adminFunc{
		"GET /_admin/{$}":                                             func(*http.Request) (any, error) { return AdminRoutes, nil },
		"POST /_admin/apps":                                           s.adminCreateApp,
		"POST /_admin/users":                                          s.adminCreateUser,
		"POST /_admin/installations":                                  s.adminCreateInstallation,
		"DELETE /_admin/installations/{id}":                           s.adminDeleteInstallation,
		"POST /_admin/installations/{id}/repositories":                s.adminInstallationRepos,
		"POST /_admin/repos":                                          s.adminCreateRepo,
		"POST /_admin/repos/{owner}/{repo}/forks":                     s.adminFork,
		"POST /_admin/repos/{owner}/{repo}/rename":                    s.adminRename,
		"DELETE /_admin/repos/{owner}/{repo}":                         s.adminDeleteRepo,
		"PUT /_admin/repos/{owner}/{repo}/collaborators/{user}":       s.adminCollaborator,
		"POST /_admin/repos/{owner}/{repo}/commits":                   s.adminCommit,
		"POST /_admin/repos/{owner}/{repo}/pulls":                     s.adminOpenPull,
		"GET /_admin/repos/{owner}/{repo}/pulls/{number}":             s.adminGetPull,
		"POST /_admin/repos/{owner}/{repo}/pulls/{number}/commits":    s.adminPushToPull,
		"POST /_admin/repos/{owner}/{repo}/pulls/{number}/{action}":   s.adminPullAction,
		"POST /_admin/repos/{owner}/{repo}/issues":                    s.adminOpenIssue,
		"POST /_admin/repos/{owner}/{repo}/issues/{number}/comments":  s.adminComment,
		"GET /_admin/repos/{owner}/{repo}/issues/{number}/comments":   s.adminComments,
		"GET /_admin/repos/{owner}/{repo}/check-runs":                 s.adminCheckRuns,
		"POST /_admin/repos/{owner}/{repo}/check-suites/rerequest":    s.adminRerequestSuite,
		"POST /_admin/repos/{owner}/{repo}/check-runs/{id}/rerequest": s.adminRerequestRun,
		"GET /_admin/deliveries":                                      func(*http.Request) (any, error) { return nonNil(s.Deliveries()), nil },
		"POST /_admin/deliveries/{id}/redeliver":                      s.adminRedeliver,
		"POST /_admin/faults":                                         s.adminInject,
		"DELETE /_admin/faults":                                       func(*http.Request) (any, error) { s.ClearFaults(); return obj{}, nil },
		"GET /_admin/violations":                                      func(*http.Request) (any, error) { return nonNil(s.Violations()), nil },
		"GET /_admin/requests":                                        func(*http.Request) (any, error) { return s.Requests(), nil },
	} {
		mux.Handle(pattern, adminJSON(fn))
	}
	return mux
}

func adminJSON(fn adminFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := fn(r)
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			status := http.StatusBadRequest
			if errors.Is(err, errNotFound) {
				status = http.StatusNotFound
			}
			w.WriteHeader(status)
			v = obj{"error": err.Error()}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		enc.Encode(v)
	})
}

func decodeAdmin(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxRequestBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("read request: %w", err)
	}
	return nil
}

func pathInt(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: not a number: %w", name, errNotFound)
	}
	return n, nil
}

func (s *Server) adminCreateApp(r *http.Request) (any, error) {
	var req struct {
		Name          string            `json:"name"`
		Owner         string            `json:"owner"`
		WebhookURL    string            `json:"webhook_url"`
		WebhookSecret string            `json:"webhook_secret"`
		Events        []string          `json:"events"`
		Permissions   map[string]string `json:"permissions"`
		SetupURL      string            `json:"setup_url"`
	}
	if err := decodeAdmin(r, &req); err != nil {
		return nil, err
	}
	a, err := s.CreateApp(AppOptions{
		Name: req.Name, Owner: req.Owner, WebhookURL: req.WebhookURL, WebhookSecret: req.WebhookSecret,
		Events: req.Events, Permissions: req.Permissions, SetupURL: req.SetupURL,
	})
	if err != nil {
		return nil, err
	}
	keyPath, err := s.writeKey(a)
	if err != nil {
		return nil, err
	}
	return obj{
		"id": a.ID, "slug": a.Slug, "client_id": a.ClientID, "webhook_url": a.WebhookURL,
		"webhook_secret": a.WebhookSecret, "private_key_path": keyPath,
	}, nil
}

// writeKey saves an App's private key under the data directory, readable
// by its owner only, so that it never passes through a terminal.
func (s *Server) writeKey(a App) (string, error) {
	dir := filepath.Join(s.dir, "apps")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("write private key: %w", err)
	}
	p := filepath.Join(dir, fmt.Sprintf("%s-%d.private-key.pem", a.Slug, a.ID))
	if err := os.WriteFile(p, a.PrivateKeyPEM, 0o600); err != nil {
		return "", fmt.Errorf("write private key: %w", err)
	}
	return p, nil
}

func (s *Server) adminCreateUser(r *http.Request) (any, error) {
	var req struct {
		Login string `json:"login"`
	}
	if err := decodeAdmin(r, &req); err != nil {
		return nil, err
	}
	if !validName(req.Login) {
		return nil, fmt.Errorf("bad login %q", req.Login)
	}
	s.CreateUser(req.Login)
	return obj{"login": req.Login}, nil
}

func (s *Server) adminCreateInstallation(r *http.Request) (any, error) {
	var req struct {
		AppID        int64    `json:"app_id"`
		Account      string   `json:"account"`
		Repositories []string `json:"repositories"`
	}
	if err := decodeAdmin(r, &req); err != nil {
		return nil, err
	}
	id, err := s.CreateInstallation(req.AppID, req.Account, req.Repositories...)
	return obj{"id": id}, err
}

func (s *Server) adminDeleteInstallation(r *http.Request) (any, error) {
	id, err := pathInt(r, "id")
	if err != nil {
		return nil, err
	}
	return obj{}, s.DeleteInstallation(id)
}

func (s *Server) adminInstallationRepos(r *http.Request) (any, error) {
	id, err := pathInt(r, "id")
	if err != nil {
		return nil, err
	}
	var req struct {
		Add    []string `json:"add"`
		Remove []string `json:"remove"`
	}
	if err := decodeAdmin(r, &req); err != nil {
		return nil, err
	}
	if len(req.Add) > 0 {
		if err := s.AddInstallationRepos(id, req.Add...); err != nil {
			return nil, err
		}
	}
	if len(req.Remove) > 0 {
		return obj{}, s.RemoveInstallationRepos(id, req.Remove...)
	}
	return obj{}, nil
}

func (s *Server) adminCreateRepo(r *http.Request) (any, error) {
	var req struct {
		Owner         string `json:"owner"`
		Name          string `json:"name"`
		DefaultBranch string `json:"default_branch"`
		Private       *bool  `json:"private"`
	}
	if err := decodeAdmin(r, &req); err != nil {
		return nil, err
	}
	if err := s.CreateRepo(req.Owner, req.Name, req.DefaultBranch); err != nil {
		return nil, err
	}
	if req.Private != nil {
		if err := s.SetVisibility(req.Owner, req.Name, *req.Private); err != nil {
			return nil, err
		}
	}
	return obj{"full_name": req.Owner + "/" + req.Name, "clone_url": s.GitURL(req.Owner, req.Name)}, nil
}

func (s *Server) adminFork(r *http.Request) (any, error) {
	var req struct {
		Owner string `json:"owner"`
	}
	if err := decodeAdmin(r, &req); err != nil {
		return nil, err
	}
	err := s.CreateFork(r.PathValue("owner"), r.PathValue("repo"), req.Owner)
	return obj{"full_name": req.Owner + "/" + r.PathValue("repo")}, err
}

func (s *Server) adminRename(r *http.Request) (any, error) {
	var req struct {
		Name string `json:"name"`
	}
	if err := decodeAdmin(r, &req); err != nil {
		return nil, err
	}
	owner := r.PathValue("owner")
	err := s.RenameRepo(owner, r.PathValue("repo"), req.Name)
	return obj{"full_name": owner + "/" + req.Name, "clone_url": s.GitURL(owner, req.Name)}, err
}

func (s *Server) adminDeleteRepo(r *http.Request) (any, error) {
	return obj{}, s.DeleteRepo(r.PathValue("owner"), r.PathValue("repo"))
}

func (s *Server) adminCollaborator(r *http.Request) (any, error) {
	var req struct {
		Role string `json:"role"`
	}
	if err := decodeAdmin(r, &req); err != nil {
		return nil, err
	}
	return obj{}, s.SetPermission(r.PathValue("owner"), r.PathValue("repo"), r.PathValue("user"), req.Role)
}

// adminFiles is the body of the commit routes.
type adminFiles struct {
	Branch  string `json:"branch"`
	Message string `json:"message"`
	Files   Files  `json:"files"`
}

func (s *Server) adminCommit(r *http.Request) (any, error) {
	var req adminFiles
	if err := decodeAdmin(r, &req); err != nil {
		return nil, err
	}
	sha, err := s.Commit(r.PathValue("owner"), r.PathValue("repo"), req.Branch, req.Files, req.Message)
	return obj{"sha": sha}, err
}

func (s *Server) adminOpenPull(r *http.Request) (any, error) {
	var req struct {
		Head   string `json:"head"`
		Base   string `json:"base"`
		Title  string `json:"title"`
		Body   string `json:"body"`
		Draft  bool   `json:"draft"`
		Author string `json:"author"`
	}
	if err := decodeAdmin(r, &req); err != nil {
		return nil, err
	}
	opts := []PullOption{WithBody(req.Body)}
	if req.Draft {
		opts = append(opts, AsDraft())
	}
	if req.Author != "" {
		opts = append(opts, OpenedBy(req.Author))
	}
	return s.OpenPullRequest(r.PathValue("owner"), r.PathValue("repo"), req.Head, req.Base, req.Title, opts...)
}

func (s *Server) adminGetPull(r *http.Request) (any, error) {
	n, err := pathInt(r, "number")
	if err != nil {
		return nil, err
	}
	pr, err := s.PullRequest(r.PathValue("owner"), r.PathValue("repo"), int(n))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errNotFound, err)
	}
	return pr, nil
}

func (s *Server) adminPushToPull(r *http.Request) (any, error) {
	n, err := pathInt(r, "number")
	if err != nil {
		return nil, err
	}
	var req adminFiles
	if err := decodeAdmin(r, &req); err != nil {
		return nil, err
	}
	sha, err := s.PushToPullRequest(r.PathValue("owner"), r.PathValue("repo"), int(n), req.Files, req.Message)
	return obj{"sha": sha}, err
}

func (s *Server) adminPullAction(r *http.Request) (any, error) {
	n, err := pathInt(r, "number")
	if err != nil {
		return nil, err
	}
	owner, repo := r.PathValue("owner"), r.PathValue("repo")
	switch r.PathValue("action") {
	case "close":
		err = s.ClosePullRequest(owner, repo, int(n))
	case "reopen":
		err = s.ReopenPullRequest(owner, repo, int(n))
	case "ready":
		err = s.MarkReadyForReview(owner, repo, int(n))
	default:
		return nil, fmt.Errorf("unknown action %q: %w", r.PathValue("action"), errNotFound)
	}
	return obj{}, err
}

func (s *Server) adminOpenIssue(r *http.Request) (any, error) {
	var req struct {
		Title string `json:"title"`
		Body  string `json:"body"`
	}
	if err := decodeAdmin(r, &req); err != nil {
		return nil, err
	}
	n, err := s.OpenIssue(r.PathValue("owner"), r.PathValue("repo"), req.Title, req.Body)
	return obj{"number": n}, err
}

func (s *Server) adminComment(r *http.Request) (any, error) {
	n, err := pathInt(r, "number")
	if err != nil {
		return nil, err
	}
	var req struct {
		User string `json:"user"`
		Body string `json:"body"`
	}
	if err := decodeAdmin(r, &req); err != nil {
		return nil, err
	}
	if req.User == "" {
		req.User = DefaultSender
	}
	return s.Comment(r.PathValue("owner"), r.PathValue("repo"), int(n), req.User, req.Body)
}

func (s *Server) adminComments(r *http.Request) (any, error) {
	n, err := pathInt(r, "number")
	if err != nil {
		return nil, err
	}
	return nonNil(s.Comments(r.PathValue("owner"), r.PathValue("repo"), int(n))), nil
}

func (s *Server) adminCheckRuns(r *http.Request) (any, error) {
	return nonNil(s.CheckRuns(r.PathValue("owner"), r.PathValue("repo"), r.URL.Query().Get("sha"))), nil
}

func (s *Server) adminRerequestSuite(r *http.Request) (any, error) {
	var req struct {
		SHA string `json:"sha"`
	}
	if err := decodeAdmin(r, &req); err != nil {
		return nil, err
	}
	return obj{}, s.RerequestCheckSuite(r.PathValue("owner"), r.PathValue("repo"), req.SHA)
}

func (s *Server) adminRerequestRun(r *http.Request) (any, error) {
	id, err := pathInt(r, "id")
	if err != nil {
		return nil, err
	}
	return obj{}, s.RerequestCheckRun(r.PathValue("owner"), r.PathValue("repo"), id)
}

func (s *Server) adminRedeliver(r *http.Request) (any, error) {
	id, err := pathInt(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Redeliver(id)
}

func (s *Server) adminInject(r *http.Request) (any, error) {
	var req struct {
		Method     string `json:"method"`
		PathPrefix string `json:"path_prefix"`
		Status     int    `json:"status"`
		Primary    bool   `json:"primary"`
		RetryAfter string `json:"retry_after"`
		Times      int    `json:"times"`
		Latency    string `json:"latency"`
	}
	if err := decodeAdmin(r, &req); err != nil {
		return nil, err
	}
	f := Fault{Method: req.Method, PathPrefix: req.PathPrefix, Status: req.Status, Primary: req.Primary, Times: req.Times}
	var err error
	if f.RetryAfter, err = optionalDuration(req.RetryAfter); err != nil {
		return nil, err
	}
	if f.Latency, err = optionalDuration(req.Latency); err != nil {
		return nil, err
	}
	s.Inject(f)
	return obj{}, nil
}

func optionalDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	return time.ParseDuration(s)
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
