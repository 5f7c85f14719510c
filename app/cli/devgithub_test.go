package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/setup"
)

func TestPublicURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ listen, flag, want string }{
		{"127.0.0.1:3000", "", "http://127.0.0.1:3000"},
		{":3000", "", "http://localhost:3000"},
		{"0.0.0.0:3000", "", "http://localhost:3000"},
		{"[::]:3000", "", "http://localhost:3000"},
		{"127.0.0.1:3000", "https://gh.example", "https://gh.example"},
	} {
		if got := publicURL(tc.listen, tc.flag); got != tc.want {
			t.Errorf("publicURL(%q, %q) = %q, want %q", tc.listen, tc.flag, got, tc.want)
		}
	}
}

// syncBuffer is written by the command and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestDevGitHubServesUntilCancelled(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(t.Context())
	var out syncBuffer
	done := make(chan int)
	go func() {
		code, _ := runDevCmd(ctx, []string{"github", "--listen", addr, "--data", t.TempDir()}, IO{Out: &out, Err: io.Discard})
		done <- code
	}()
	var routes []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/_admin/")
		if err != nil {
			continue
		}
		json.NewDecoder(resp.Body).Decode(&routes)
		resp.Body.Close()
		break
	}
	if len(routes) == 0 || !strings.Contains(out.String(), "fake GitHub on http://"+addr) {
		t.Errorf("admin routes %d, output %q", len(routes), out.String())
	}
	cancel()
	if code := <-done; code != ExitOK {
		t.Errorf("exit code %d", code)
	}
}

func TestDevGitHubRefusesArguments(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"github", "extra"}, {"github", "--account", "acme"}} {
		code, err := runDevCmd(t.Context(), args, IO{Out: io.Discard, Err: io.Discard})
		if code != ExitUsage || err == nil {
			t.Errorf("%q: code %d, err %v; want a usage error", args, code, err)
		}
	}
}

// TestDevGitHubCreateApp: --create-app gives portico serve credentials
// without a browser, each run anew (the fake forgets its Apps when it
// stops), for an App installed on --account with the setup page's
// permissions and events.
func TestDevGitHubCreateApp(t *testing.T) {
	t.Parallel()
	addr, data := freeAddr(t), filepath.Join(t.TempDir(), "portico-data")
	for run := range 2 {
		ctx, cancel := context.WithCancel(t.Context())
		var out syncBuffer
		done := make(chan int)
		go func() {
			code, err := runDevCmd(ctx, []string{"github", "--listen", addr, "--create-app", data, "--account", "acme"}, IO{Out: &out, Err: io.Discard})
			if err != nil {
				t.Errorf("run %d: %v", run, err)
			}
			done <- code
		}()
		waitForOutput(t, &out, "fake GitHub on")
		creds, err := config.ReadCredentials(data)
		if err != nil || creds == nil {
			t.Fatalf("run %d: credentials %v, %v", run, creds, err)
		}
		if creds.GitHubURL != "http://"+addr || creds.WebhookSecret == "" || !strings.Contains(out.String(), "installed on acme") {
			t.Errorf("run %d: credentials for %q, output %q", run, creds.GitHubURL, out.String())
		}
		checkInstalledApp(t, creds)
		cancel()
		if code := <-done; code != ExitOK {
			t.Fatalf("run %d: exit code %d", run, code)
		}
	}
}

// checkInstalledApp asks the fake, as the App, what it is and where it is
// installed.
func checkInstalledApp(t *testing.T, creds *config.AppCredentials) {
	t.Helper()
	apps, err := gh.NewApps(creds.AppID, []byte(creds.PrivateKey.Reveal()), creds.GitHubURL)
	if err != nil {
		t.Fatal(err)
	}
	app, _, err := apps.App().Apps.Get(t.Context(), "")
	if err != nil {
		t.Fatalf("the saved credentials do not work: %v", err)
	}
	perms := app.GetPermissions()
	if perms.GetChecks() != "write" || perms.GetContents() != "read" || perms.GetIssues() != "" ||
		strings.Join(app.Events, " ") != strings.Join(setup.Events(), " ") {
		t.Errorf("App has permissions %v and events %v, want the setup page's", perms, app.Events)
	}
	insts, _, err := apps.App().Apps.ListInstallations(t.Context(), nil)
	if err != nil || len(insts) != 1 || insts[0].GetAccount().GetLogin() != "acme" {
		t.Errorf("installations %v, %v; want one on acme", insts, err)
	}
}

// TestDevGitHubCreateAppKeepsAnotherGitHubsApp: a data directory holding
// a real App's credentials is left alone.
func TestDevGitHubCreateAppKeepsAnotherGitHubsApp(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	real := &config.AppCredentials{AppID: 7, Slug: "portico-acme", PrivateKey: "key", GitHubURL: "https://api.github.com"}
	if err := config.SaveCredentials(data, real); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(data, config.CredentialsFile))
	code, err := runDevCmd(t.Context(), []string{"github", "--listen", freeAddr(t), "--create-app", data}, IO{Out: io.Discard, Err: io.Discard})
	if code != ExitUsage || err == nil || !strings.Contains(err.Error(), "not replacing") {
		t.Errorf("code %d, err %v; want a refusal", code, err)
	}
	if after, _ := os.ReadFile(filepath.Join(data, config.CredentialsFile)); !bytes.Equal(before, after) {
		t.Error("the real App's credentials were replaced")
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitForOutput(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(out.String(), want) {
			return
		}
	}
	t.Fatalf("no %q in the output:\n%s", want, out.String())
}
