package githubtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cgi"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// serveGit serves /{owner}/{repo}.git/... with the real git http-backend.
// Reading a private repository and any push need basic auth with an
// installation token as the password (GitHub's user is x-access-token;
// like GitHub, the fake ignores the user name); a push also needs
// contents:write. After a push, the branches that moved send their
// webhooks.
func (s *Server) serveGit(w http.ResponseWriter, r *http.Request) {
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 3)
	rp, err := s.lookupRepo(parts[0], strings.TrimSuffix(parts[1], ".git"))
	if err != nil {
		http.Error(w, "Repository not found.", http.StatusNotFound)
		return
	}
	push := r.URL.Query().Get("service") == "git-receive-pack" || strings.HasSuffix(r.URL.Path, "/git-receive-pack")
	tok := s.gitToken(r, rp)
	s.mu.Lock()
	private := rp.private
	s.mu.Unlock()
	switch {
	case tok == nil && (push || private):
		w.Header().Set("WWW-Authenticate", `Basic realm="GitHub"`)
		http.Error(w, "Invalid username or token.", http.StatusUnauthorized)
		return
	case push && !tokenMay(tok, "contents", "write"):
		http.Error(w, "Permission to "+rp.fullName()+".git denied.", http.StatusForbidden)
		return
	}
	h, err := s.httpBackend(rp)
	if err == nil {
		err = spoolChunked(r)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer r.Body.Close()
	if !push || r.Method != http.MethodPost {
		h.ServeHTTP(w, r)
		return
	}
	s.receivePack(w, r, rp, h, tok)
}

// receivePack runs a push, one at a time per repository, and then sends
// what GitHub sends for every branch it moved.
func (s *Server) receivePack(w http.ResponseWriter, r *http.Request, rp *repo, h http.Handler, tok *token) {
	ctx := context.Background()
	rp.gitMu.Lock()
	before, err := branches(ctx, rp.dir)
	if err == nil {
		h.ServeHTTP(w, r)
	}
	after, err2 := branches(ctx, rp.dir)
	rp.gitMu.Unlock()
	if err != nil || err2 != nil {
		s.log.Error("githubtest: read branches", "repo", rp.fullName(), "err", err, "err2", err2)
		return
	}
	s.mu.Lock()
	pusher := tok.inst.app.bot
	s.mu.Unlock()
	s.later(func() {
		for _, name := range sortedKeys(after) {
			if sha := after[name]; before[name] != sha {
				s.branchUpdated(ctx, rp, name, orZero(before[name]), sha, pusher)
			}
		}
		for _, name := range sortedKeys(before) {
			if _, ok := after[name]; !ok {
				s.branchUpdated(ctx, rp, name, before[name], zeroSHA, pusher)
			}
		}
	})
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// spoolChunked reads a chunked request body (git sends large packs so)
// into a temporary file, because CGI needs a Content-Length.
func spoolChunked(r *http.Request) error {
	if r.ContentLength >= 0 || r.Body == nil {
		return nil
	}
	f, err := os.CreateTemp("", "githubtest-pack-")
	if err != nil {
		return fmt.Errorf("spool request: %w", err)
	}
	os.Remove(f.Name()) // the open file stays readable
	n, err := io.Copy(f, r.Body)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return fmt.Errorf("spool request: %w", err)
	}
	r.Body, r.ContentLength, r.TransferEncoding = f, n, nil
	return nil
}

func orZero(sha string) string {
	if sha == "" {
		return zeroSHA
	}
	return sha
}

// gitToken is the live installation token of a request's basic auth, if
// it reaches the repository.
func (s *Server) gitToken(r *http.Request, rp *repo) *token {
	_, password, ok := r.BasicAuth()
	if !ok {
		return nil
	}
	t := s.liveToken(password)
	if t == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !t.canSee(rp) {
		return nil
	}
	return t
}

func tokenMay(t *token, permission, level string) bool {
	perms := t.permissions
	if perms == nil {
		perms = t.inst.app.permissions
	}
	have := perms[permission]
	return have == "write" || have == "admin" || (have == "read" && level == "read")
}

func (s *Server) httpBackend(rp *repo) (http.Handler, error) {
	execPath, err := gitExecPath()
	if err != nil {
		return nil, err
	}
	env := append([]string{
		"GIT_PROJECT_ROOT=" + filepath.Join(s.dir, "repos"), "GIT_HTTP_EXPORT_ALL=1",
		"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=http.receivepack", "GIT_CONFIG_VALUE_0=true",
		"REMOTE_USER=x-access-token", "HOME=" + s.dir,
	}, gitEnv...)
	return &cgi.Handler{
		Path:       filepath.Join(execPath, "git-http-backend"),
		Root:       "/",
		Env:        env,
		InheritEnv: []string{"PATH"},
		Stderr:     logWriter{s.log},
	}, nil
}

// logWriter sends what git http-backend prints, such as a push refused
// because the branch moved, to the log at debug level: it is expected in
// tests of concurrent writers and would drown their output.
type logWriter struct{ log *slog.Logger }

func (w logWriter) Write(p []byte) (int, error) {
	w.log.Debug("githubtest: git http-backend", "stderr", strings.TrimSpace(string(p)))
	return len(p), nil
}
