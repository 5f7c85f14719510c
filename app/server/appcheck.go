package server

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/gh"
)

// appCheckTimeout bounds the start-up question to GitHub.
const appCheckTimeout = 30 * time.Second

// checkApp asks GitHub, as the App, who it is: credentials that GitHub no
// longer knows (the App was deleted, or a fake GitHub restarted and forgot
// it) are then reported once, with the fix, rather than as every job's
// 401. It runs in the background: GitHub being slow or down delays no
// start.
func (s *Server) checkApp(apps *gh.Apps, cfg *config.Config) {
	ctx, cancel := context.WithTimeout(context.Background(), appCheckTimeout)
	defer cancel()
	app, _, err := apps.App().Apps.Get(ctx, "")
	var resp *github.ErrorResponse
	switch {
	case err == nil:
		s.log.Info("GitHub knows the App", "app", app.GetSlug(), "app_id", app.GetID(), "owner", app.GetOwner().GetLogin())
	case errors.As(err, &resp) && resp.Response != nil &&
		(resp.Response.StatusCode == http.StatusUnauthorized || resp.Response.StatusCode == http.StatusNotFound):
		s.log.Error("GitHub does not know the App portico is configured as: it was deleted, its key was revoked, or (a fake GitHub) it was restarted",
			"app_id", cfg.GitHub.AppID, "github", cfg.GitHub.URL, "answer", resp.Message,
			"fix", "configure another App, or stop portico, delete "+filepath.Join(cfg.DataDir, config.CredentialsFile)+
				" and "+filepath.Join(cfg.DataDir, config.PrivateKeyFile)+" and start it again to create one on the setup page")
	default:
		s.log.Warn("could not ask GitHub about the App", "error", err)
	}
}
