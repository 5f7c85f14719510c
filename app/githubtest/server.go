package githubtest

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Server is a fake GitHub. Its methods are safe for concurrent use.
type Server struct {
	t        TB
	http     *httptest.Server
	base     string // URL without a trailing slash
	dir      string
	ownDir   bool // dir was made by New and is removed by Close
	spec     *spec
	log      *slog.Logger
	handlers map[string]handler
	admin    http.Handler
	hooks    *http.Client

	checkResponses bool
	hookDefaults   webhookDefaults

	queue   chan func() // webhooks set off by REST requests and pushes
	pending sync.WaitGroup
	drained chan struct{}

	mu         sync.Mutex
	st         state
	faults     []*faultState
	counts     map[string]int
	writes     map[int64][]time.Time // content-creating requests per installation
	buckets    map[string]*bucket
	violations []Violation
	keysUsed   int
	closeOnce  sync.Once
}

type webhookDefaults struct{ url, secret string }

// Option configures a Server.
type Option func(*config)

type config struct {
	dir            string
	listen         string
	publicURL      string
	logger         *slog.Logger
	checkResponses bool
	hooks          webhookDefaults
}

// WithDataDir keeps the bare repositories (and App keys written by the
// admin API) under dir instead of a temporary directory.
func WithDataDir(dir string) Option { return func(c *config) { c.dir = dir } }

// WithListenAddr serves on addr (host:port) instead of a random loopback
// port.
func WithListenAddr(addr string) Option { return func(c *config) { c.listen = addr } }

// WithPublicURL sets the base URL the fake puts in its responses and
// payloads, when clients reach it by another name than its listener's.
func WithPublicURL(u string) Option {
	return func(c *config) { c.publicURL = strings.TrimRight(u, "/") }
}

// WithLogger logs REST requests, deliveries and violations to l (default:
// discarded).
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithResponseValidation turns the check of every response against the
// description on or off (default on).
func WithResponseValidation(on bool) Option { return func(c *config) { c.checkResponses = on } }

// WithWebhookDefaults sets the webhook URL and secret of Apps created
// without their own (CreateApp with empty fields, the admin API, the
// manifest flow).
func WithWebhookDefaults(url, secret string) Option {
	return func(c *config) { c.hooks = webhookDefaults{url: url, secret: secret} }
}

// TB is the part of testing.TB the fake uses. It is declared here so that
// the package, which portico dev github links into the binary, does not
// bring the testing package into the product.
type TB interface {
	Helper()
	Cleanup(func())
	TempDir() string
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// New starts a fake GitHub for a test: the data directory is t.TempDir(),
// the server closes at cleanup, and any Violation recorded by then fails
// the test. A failure to start fails the test at once. With a nil t it
// panics on failure and the caller must Close; programs use Start.
func New(t TB, opts ...Option) *Server {
	if t != nil {
		t.Helper()
	}
	s, err := start(t, opts)
	if err != nil {
		if t == nil {
			panic("githubtest: " + err.Error())
		}
		t.Fatalf("githubtest: %v", err)
	}
	if t != nil {
		t.Cleanup(func() {
			s.Close()
			for _, v := range s.Violations() {
				t.Errorf("githubtest: %s", v)
			}
		})
	}
	return s
}

// Start starts a fake GitHub outside a test; call Close when done.
func Start(opts ...Option) (*Server, error) { return start(nil, opts) }

func start(t TB, opts []Option) (*Server, error) {
	cfg := config{checkResponses: true, logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(&cfg)
	}
	return newServer(t, cfg)
}

func newServer(t TB, cfg config) (*Server, error) {
	sp, err := loadSpec()
	if err != nil {
		return nil, err
	}
	s := &Server{
		t: t, spec: sp, log: cfg.logger, dir: cfg.dir,
		checkResponses: cfg.checkResponses, hookDefaults: cfg.hooks,
		st: newState(), counts: map[string]int{}, writes: map[int64][]time.Time{},
		buckets: map[string]*bucket{},
		hooks:   &http.Client{Timeout: webhookTimeout},
		queue:   make(chan func(), 1024), drained: make(chan struct{}),
	}
	if err := s.initDir(t); err != nil {
		return nil, err
	}
	s.handlers = s.restHandlers()
	s.admin = s.adminHandler()
	s.http = httptest.NewUnstartedServer(s)
	if cfg.listen != "" {
		l, err := net.Listen("tcp", cfg.listen)
		if err != nil {
			return nil, fmt.Errorf("listen: %w", err)
		}
		s.http.Listener.Close()
		s.http.Listener = l
	}
	s.http.Start()
	go s.runQueue()
	s.base = s.http.URL
	if cfg.publicURL != "" {
		s.base = cfg.publicURL
	}
	return s, nil
}

func (s *Server) initDir(t TB) error {
	switch {
	case s.dir != "":
	case t != nil:
		s.dir = t.TempDir()
	default:
		d, err := os.MkdirTemp("", "githubtest-")
		if err != nil {
			return fmt.Errorf("data dir: %w", err)
		}
		s.dir, s.ownDir = d, true
	}
	if err := os.MkdirAll(filepath.Join(s.dir, "repos"), 0o755); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	return checkGit()
}

// URL is the REST API's base URL, without a trailing slash. The same
// routes answer under URL()+"/api/v3", as on GitHub Enterprise Server.
// Git is served under the same host (see GitURL).
func (s *Server) URL() string { return s.base }

// GitURL is the smart HTTP clone URL of a repository. Authenticate with
// user x-access-token and an installation token as the password.
func (s *Server) GitURL(owner, repo string) string {
	return s.base + "/" + owner + "/" + repo + ".git"
}

// Dir is the data directory: repos/<owner>/<repo>.git are the bare
// repositories.
func (s *Server) Dir() string { return s.dir }

// Close stops the server and removes a data directory it created.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.http.Close()
		close(s.queue)
		<-s.drained
		if s.ownDir {
			os.RemoveAll(s.dir)
		}
	})
}

var gitPath = regexp.MustCompile(`^/[^/]+/[^/]+\.git(/|$)`)

// ServeHTTP routes to Git, the admin API, the web pages of the App
// manifest flow, or the REST API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/_admin/"):
		s.admin.ServeHTTP(w, r)
	case gitPath.MatchString(p):
		s.serveGit(w, r)
	case isWebPage(r):
		s.serveWeb(w, r)
	default:
		s.serveREST(w, r)
	}
}

// Violation is a request or response that GitHub's description does not
// allow, or a webhook payload that does not fit its schema.
type Violation struct {
	Kind   string `json:"kind"` // "unknown endpoint", "invalid request", "invalid response", "invalid webhook", "undescribed event"
	Method string `json:"method"`
	Path   string `json:"path"`
	Err    string `json:"error"`
}

func (v Violation) String() string {
	return fmt.Sprintf("%s: %s %s: %s", v.Kind, v.Method, v.Path, v.Err)
}

// Violations are the violations recorded so far.
func (s *Server) Violations() []Violation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Violation(nil), s.violations...)
}

// ResetViolations forgets the violations recorded so far, for tests that
// provoke them on purpose.
func (s *Server) ResetViolations() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.violations = nil
}

func (s *Server) violate(v Violation) {
	s.log.Warn("githubtest: violation", "kind", v.Kind, "method", v.Method, "path", v.Path, "err", v.Err)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.violations = append(s.violations, v)
}

func lower(s string) string { return strings.ToLower(s) }
