package main

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/githubtest"
)

var (
	setupURL   = regexp.MustCompile(`"url":"(http://[^"]+/setup\?token=[0-9a-f]+)"`)
	formAction = regexp.MustCompile(`<form method="post" action="([^"]+)">`)
	manifest   = regexp.MustCompile(`name="manifest" value="([^"]+)"`)
)

// TestFirstRunCreatesTheApp runs portico with nothing configured, follows
// its setup page through the fake GitHub's manifest flow as a browser
// would, and expects portico to save the credentials (mode 0600) and
// serve as the new App without a restart.
func TestFirstRunCreatesTheApp(t *testing.T) {
	t.Parallel()
	gh := githubtest.New(t)
	addr, dir := freeAddr(t), t.TempDir()
	logs := &lockedBuffer{}
	cmd := exec.Command(binary, "serve")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PORTICO_LISTEN="+addr, "PORTICO_DATA_DIR="+dir, "PORTICO_GITHUB_URL="+gh.URL(),
		"PORTICO_PUBLIC_URL=http://"+addr)
	cmd.Stdout, cmd.Stderr = logs, logs
	must(t, cmd.Start())
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()

	page := waitForSetupPage(t, logs)
	if code, _ := postWebhook(t, addr); code != http.StatusServiceUnavailable {
		t.Errorf("webhooks before setup: %d, want 503", code)
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if resp, err := browser.Get("http://" + addr + "/setup"); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("setup page without the token: %d, want 403", resp.StatusCode)
		}
	}
	body := get(t, browser, page)
	action, mf := formAction.FindStringSubmatch(body), manifest.FindStringSubmatch(body)
	if action == nil || mf == nil {
		t.Fatalf("no manifest form on the setup page:\n%s", body)
	}
	// The browser posts the form to GitHub, which creates the App and
	// redirects back to portico's callback.
	resp, err := browser.PostForm(html.UnescapeString(action[1]), url.Values{"manifest": {html.UnescapeString(mf[1])}})
	must(t, err)
	done, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Request.URL.Path, "/setup/callback") {
		t.Fatalf("after the manifest flow: %d at %s\n%s\nlogs:\n%s", resp.StatusCode, resp.Request.URL, done, logs.String())
	}
	for _, f := range []string{"app.json", "app.pem"} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v; want mode 0600", f, err, st)
		}
	}
	if code, _ := postWebhook(t, addr); code == http.StatusServiceUnavailable {
		t.Errorf("webhooks still refused after the App was created")
	}
	if strings.Contains(logs.String(), "BEGIN RSA PRIVATE KEY") {
		t.Error("the private key reached the log")
	}
}

func waitForSetupPage(t *testing.T, logs *lockedBuffer) string {
	t.Helper()
	for range 500 {
		if m := setupURL.FindStringSubmatch(logs.String()); m != nil {
			return m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("portico logged no setup URL:\n%s", logs.String())
	return ""
}

func get(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", u, resp.StatusCode, b)
	}
	return string(b)
}

// postWebhook sends an unsigned ping and returns the status.
func postWebhook(t *testing.T, addr string) (int, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/webhooks", strings.NewReader(`{"zen":"x"}`))
	req.Header.Set("X-GitHub-Event", "ping")
	req.Header.Set("X-GitHub-Delivery", "setup-test")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestServeRefusesAnotherGitHubsApp: credentials the walk-through saved
// for the fake GitHub are refused against github.com (whose App of that
// id is someone else's), before portico listens, with the fix.
func TestServeRefusesAnotherGitHubsApp(t *testing.T) {
	t.Parallel()
	gh := githubtest.New(t)
	app, err := gh.CreateApp(githubtest.AppOptions{})
	must(t, err)
	dir := t.TempDir()
	must(t, config.SaveCredentials(dir, &config.AppCredentials{AppID: app.ID, Slug: app.Slug, GitHubURL: gh.URL(),
		WebhookSecret: config.Secret(app.WebhookSecret), PrivateKey: config.Secret(app.PrivateKeyPEM)}))
	_, stderr, code := run(t, "", []string{"PORTICO_DATA_DIR=" + dir, "PORTICO_LISTEN=" + freeAddr(t),
		"PORTICO_GITHUB_URL=https://api.github.com"}, "serve")
	for _, want := range []string{filepath.Join(dir, "app.json"), gh.URL(), "delete", "PORTICO_GITHUB_URL"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	if code != 2 {
		t.Errorf("exit code %d, want 2 (configuration)", code)
	}
}

// TestServeSaysWhenGitHubForgotTheApp: credentials of an App the GitHub
// at github.url does not know (a fake GitHub restarted since the setup
// page created it) are reported at start with the fix, rather than as
// every job's 401.
func TestServeSaysWhenGitHubForgotTheApp(t *testing.T) {
	t.Parallel()
	before := githubtest.New(t)
	forgotten, err := before.CreateApp(githubtest.AppOptions{})
	must(t, err)
	gh := githubtest.New(t) // the fake after a restart: no Apps
	dir, addr, logs := t.TempDir(), freeAddr(t), &lockedBuffer{}
	must(t, config.SaveCredentials(dir, &config.AppCredentials{AppID: forgotten.ID, Slug: forgotten.Slug, GitHubURL: gh.URL(),
		WebhookSecret: config.Secret(forgotten.WebhookSecret), PrivateKey: config.Secret(forgotten.PrivateKeyPEM)}))
	cmd := exec.Command(binary, "serve")
	cmd.Env = append(os.Environ(), "PORTICO_DATA_DIR="+dir, "PORTICO_LISTEN="+addr, "PORTICO_GITHUB_URL="+gh.URL())
	cmd.Stdout, cmd.Stderr = logs, logs
	must(t, cmd.Start())
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	for range 500 {
		if strings.Contains(logs.String(), "GitHub does not know the App") {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, want := range []string{"GitHub does not know the App", filepath.Join(dir, "app.json"), "delete"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log does not say %q:\n%s", want, logs)
		}
	}
}
