package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Names of the credentials files in the data directory.
const (
	CredentialsFile = "app.json"
	PrivateKeyFile  = "app.pem"
)

// AppCredentials is a GitHub App's identity as the manifest flow returns
// it and as the data directory keeps it.
type AppCredentials struct {
	AppID         int64  // the App's numeric id
	Slug          string // URL name; the App's bot is "<slug>[bot]"
	Name          string // display name
	Owner         string // login of the account or organisation that owns the App
	HTMLURL       string // the App's page, https://github.com/apps/<slug>
	ClientID      string // OAuth client id
	ClientSecret  Secret // OAuth client secret
	WebhookSecret Secret // the secret GitHub signs deliveries with
	PrivateKey    Secret // PEM; signs the App's JWTs
	// GitHubURL is the REST API base of the GitHub that created the App
	// (github.url then). App ids are only unique within one GitHub: a
	// fake's App 1001 is someone else's App on github.com.
	GitHubURL string
}

// credentialsFile is app.json's layout. Secrets are plain strings here
// because Secret marshals redacted; the private key lives in app.pem.
type credentialsFile struct {
	AppID         int64  `json:"id"`
	Slug          string `json:"slug,omitempty"`
	Name          string `json:"name,omitempty"`
	Owner         string `json:"owner,omitempty"`
	HTMLURL       string `json:"html_url,omitempty"`
	ClientID      string `json:"client_id,omitempty"`
	ClientSecret  string `json:"client_secret,omitempty"`
	WebhookSecret string `json:"webhook_secret,omitempty"`
	GitHubURL     string `json:"github_url,omitempty"`
}

// SaveCredentials writes c into dataDir as app.pem and app.json, each mode
// 0600 and each atomically (a temporary file renamed over the old one).
// app.json is written last: a reader that finds it finds the key too.
func SaveCredentials(dataDir string, c *AppCredentials) error {
	if c.AppID <= 0 || c.PrivateKey == "" || c.GitHubURL == "" {
		return errors.New("save credentials: app id, private key and GitHub URL are required")
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("save credentials: %w", err)
	}
	data, err := json.MarshalIndent(credentialsFile{
		AppID: c.AppID, Slug: c.Slug, Name: c.Name, Owner: c.Owner,
		HTMLURL: c.HTMLURL, ClientID: c.ClientID,
		ClientSecret:  c.ClientSecret.Reveal(),
		WebhookSecret: c.WebhookSecret.Reveal(),
		GitHubURL:     c.GitHubURL,
	}, "", "  ")
	if err != nil {
		return fmt.Errorf("save credentials: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(dataDir, PrivateKeyFile), []byte(c.PrivateKey.Reveal())); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dataDir, CredentialsFile), append(data, '\n'))
}

// writeFileAtomic writes data to path with mode 0600 so that a crash
// leaves either the old file or the new one, never half of either.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return syncDir(dir)
}

// syncDir makes the rename durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// ReadCredentials reads the credentials SaveCredentials wrote. No app.json
// in dataDir is not an error: it returns nil, nil.
func ReadCredentials(dataDir string) (*AppCredentials, error) {
	data, err := os.ReadFile(filepath.Join(dataDir, CredentialsFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read credentials: %w", err)
	}
	var f credentialsFile
	if err := json.Unmarshal(data, &f); err != nil {
		// json's syntax errors quote no input, so no secret leaks here.
		return nil, fmt.Errorf("read credentials %s: %w", CredentialsFile, err)
	}
	key, err := os.ReadFile(filepath.Join(dataDir, PrivateKeyFile))
	if err != nil {
		return nil, fmt.Errorf("read credentials: %w", err)
	}
	return &AppCredentials{
		AppID: f.AppID, Slug: f.Slug, Name: f.Name, Owner: f.Owner,
		HTMLURL: f.HTMLURL, ClientID: f.ClientID,
		ClientSecret:  Secret(f.ClientSecret),
		WebhookSecret: Secret(f.WebhookSecret),
		PrivateKey:    Secret(key),
		GitHubURL:     f.GitHubURL,
	}, nil
}

// mergeSavedCredentials fills the App id, key and webhook secret that
// neither the environment nor portico.yaml gave from the data directory.
// The saved App is used only when it is the configured one or when no App
// identity is configured at all: one App's key is never paired with
// another's id. A saved App of another GitHub than github.url is refused.
func mergeSavedCredentials(cfg *Config) error {
	if cfg.DataDir == "" {
		return nil
	}
	saved, err := ReadCredentials(cfg.DataDir)
	if err != nil || saved == nil {
		return err
	}
	g := &cfg.GitHub
	switch {
	case g.AppID == saved.AppID:
	case g.AppID == 0 && g.PrivateKey == "":
		g.AppID = saved.AppID
	default:
		return nil
	}
	if err := saved.CheckGitHub(cfg.DataDir, g.URL); err != nil {
		return err
	}
	if g.PrivateKey == "" {
		g.PrivateKey = saved.PrivateKey
	}
	if g.WebhookSecret == "" {
		g.WebhookSecret = saved.WebhookSecret
	}
	return nil
}

// CheckGitHub reports, with the fix, credentials saved in dataDir for
// another GitHub than the REST API at restBase. Credentials saved before
// portico recorded their GitHub are placed by their App's page instead
// (https://github.com/apps/NAME belongs to https://api.github.com).
func (c *AppCredentials) CheckGitHub(dataDir, restBase string) error {
	var where string
	switch {
	case c.GitHubURL != "":
		if sameGitHub(c.GitHubURL, restBase) {
			return nil
		}
		where = c.GitHubURL
	case c.HTMLURL != "":
		if sameWebHost(c.HTMLURL, restBase) {
			return nil
		}
		where = "the GitHub that serves " + c.HTMLURL
	default:
		return nil
	}
	file, key := filepath.Join(dataDir, CredentialsFile), filepath.Join(dataDir, PrivateKeyFile)
	return fmt.Errorf("%s holds the GitHub App %q (id %d) of %s, not of github.url %s: "+
		"to create a new App on %s, delete %s and %s; to use this App, set github.url (%s) to %s",
		file, c.Slug, c.AppID, where, restBase, restBase, file, key, EnvGitHubURL, where)
}

// sameGitHub compares REST API bases by scheme, host and path, ignoring
// case and a trailing slash.
func sameGitHub(a, b string) bool {
	ua, errA := url.Parse(strings.TrimSuffix(a, "/"))
	ub, errB := url.Parse(strings.TrimSuffix(b, "/"))
	return errA == nil && errB == nil && strings.EqualFold(ua.Scheme, ub.Scheme) &&
		strings.EqualFold(ua.Host, ub.Host) && ua.Path == ub.Path
}

// sameWebHost reports whether an App's page is on the web host of the
// REST API at restBase.
func sameWebHost(page, restBase string) bool {
	web, err := WebURL(restBase)
	if err != nil {
		return false
	}
	up, errP := url.Parse(page)
	uw, errW := url.Parse(web)
	return errP == nil && errW == nil && strings.EqualFold(up.Host, uw.Host)
}
