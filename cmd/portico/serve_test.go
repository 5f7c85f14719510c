package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/portico-dev/portico/app/githubtest"
)

// app is a portico serve process under test, against a fake GitHub.
type app struct {
	t       *testing.T
	gh      *githubtest.Server
	cred    githubtest.App
	inst    int64
	addr    string
	dataDir string
	cmd     *exec.Cmd
	logs    *lockedBuffer
	env     []string // extra PORTICO_* settings
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// newApp makes a fake GitHub with an App installed on acme/web and the
// address portico will listen on; start runs the binary.
func newApp(t *testing.T, opts ...githubtest.Option) *app {
	t.Helper()
	a := &app{t: t, addr: freeAddr(t), dataDir: t.TempDir(), logs: &lockedBuffer{}}
	a.gh = githubtest.New(t, opts...)
	var err error
	a.cred, err = a.gh.CreateApp(githubtest.AppOptions{WebhookURL: "http://" + a.addr + "/webhooks", WebhookSecret: "e2e-secret"})
	if err != nil {
		t.Fatal(err)
	}
	must(t, a.gh.CreateRepo("acme", "web", "main"))
	if _, err := a.gh.Commit("acme", "web", "main", githubtest.Files{"README.md": githubtest.Text("# web\n")}, "initial"); err != nil {
		t.Fatal(err)
	}
	if a.inst, err = a.gh.CreateInstallation(a.cred.ID, "acme", "web"); err != nil {
		t.Fatal(err)
	}
	return a
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// start runs portico serve and waits until it is ready.
func (a *app) start() {
	a.t.Helper()
	keyFile := filepath.Join(a.dataDir, "key.pem")
	must(a.t, os.WriteFile(keyFile, a.cred.PrivateKeyPEM, 0o600))
	cmd := exec.Command(binary, "serve")
	cmd.Dir = a.dataDir
	cmd.Env = append(os.Environ(),
		"PORTICO_LISTEN="+a.addr, "PORTICO_DATA_DIR="+a.dataDir, "PORTICO_GITHUB_URL="+a.gh.URL(),
		fmt.Sprintf("PORTICO_GITHUB_APP_ID=%d", a.cred.ID), "PORTICO_GITHUB_PRIVATE_KEY_FILE="+keyFile,
		"PORTICO_WEBHOOK_SECRET="+a.cred.WebhookSecret)
	cmd.Env = append(cmd.Env, a.env...)
	cmd.Stdout, cmd.Stderr = a.logs, a.logs
	must(a.t, cmd.Start())
	a.cmd = cmd
	a.t.Cleanup(func() { a.stop(syscall.SIGTERM) })
	ready := a.addr
	for _, e := range a.env { // metrics_listen moves /readyz off the public port
		if v, ok := strings.CutPrefix(e, "PORTICO_METRICS_LISTEN="); ok {
			ready = v
		}
	}
	a.waitUntil("portico to become ready", func() bool {
		resp, err := httpGet("http://" + ready + "/readyz")
		return err == nil && resp == 200
	})
}

func (a *app) stop(sig syscall.Signal) {
	if a.cmd == nil || a.cmd.Process == nil {
		return
	}
	a.cmd.Process.Signal(sig)
	done := make(chan struct{})
	go func() { a.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		a.cmd.Process.Kill()
		<-done
	}
	a.cmd = nil
}

// waitCheck waits for portico's completed check run on sha.
func (a *app) waitCheck(sha string) githubtest.CheckRun {
	a.t.Helper()
	var run githubtest.CheckRun
	a.waitUntil("a completed check run on "+sha, func() bool {
		for _, r := range a.gh.CheckRuns("acme", "web", sha) {
			if r.Name == "portico / catalog" && r.Status == "completed" {
				run = r
				return true
			}
		}
		return false
	})
	return run
}

// waitUntil polls cond until it holds, failing the test with the App's
// logs after 30 seconds: what portico does happens after the webhook's
// answer, so tests wait for its effects rather than for a duration.
func (a *app) waitUntil(what string, cond func() bool) {
	a.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			a.t.Fatalf("waited 30s for %s; logs:\n%s", what, a.logs.String())
		}
		sleep()
	}
}

func httpGet(url string) (int, error) {
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func sleep() { time.Sleep(20 * time.Millisecond) }
