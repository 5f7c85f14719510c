package gh

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/portico-dev/portico/app/config"
)

// manifestTimeout bounds the one request of the exchange.
const manifestTimeout = 30 * time.Second

// manifestCode is the shape of the temporary code GitHub hands back to the
// manifest flow's redirect URL; anything else never reaches a URL path.
var manifestCode = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// ErrBadManifestCode is returned for a code that cannot be GitHub's.
var ErrBadManifestCode = errors.New("exchange manifest code: malformed code")

// ExchangeManifest completes the App manifest flow: it trades the code
// GitHub sent to the redirect URL for the new App's credentials with
// POST /app-manifests/{code}/conversions (no authentication). The code
// works once, within an hour. Errors never contain the code, which is as
// good as the credentials until it is used.
func ExchangeManifest(ctx context.Context, restBase, code string) (*config.AppCredentials, error) {
	if !manifestCode.MatchString(code) {
		return nil, ErrBadManifestCode
	}
	base, err := parseBase(restBase)
	if err != nil {
		return nil, err
	}
	c := newGitHubClient(&http.Client{Timeout: manifestTimeout}, base)
	app, _, err := c.Apps.CompleteAppManifest(ctx, code)
	if err != nil {
		return nil, manifestError(err, code)
	}
	creds := &config.AppCredentials{
		AppID:         app.GetID(),
		Slug:          app.GetSlug(),
		Name:          app.GetName(),
		Owner:         app.GetOwner().GetLogin(),
		HTMLURL:       app.GetHTMLURL(),
		ClientID:      app.GetClientID(),
		ClientSecret:  config.Secret(app.GetClientSecret()),
		WebhookSecret: config.Secret(app.GetWebhookSecret()),
		PrivateKey:    config.Secret(app.GetPEM()),
	}
	if creds.AppID <= 0 || creds.PrivateKey == "" {
		return nil, errors.New("exchange manifest code: GitHub's answer has no app id or private key")
	}
	return creds, nil
}

// manifestError rewords go-github's errors, whose text carries the URL
// and with it the code; anything else that quotes the code has it
// replaced.
func manifestError(err error, code string) error {
	var resp *github.ErrorResponse
	if errors.As(err, &resp) && resp.Response != nil {
		return fmt.Errorf("exchange manifest code: GitHub answered %s: %s", resp.Response.Status, resp.Message)
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	if msg := err.Error(); strings.Contains(msg, code) {
		return errors.New("exchange manifest code: " + strings.ReplaceAll(msg, code, "[code]"))
	}
	return fmt.Errorf("exchange manifest code: %w", err)
}
