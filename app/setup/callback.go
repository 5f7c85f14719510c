package setup

import (
	"net/http"

	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/gh"
)

// callback is where GitHub sends the browser after creating the App.
func (h *Handler) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !h.states.use(q.Get("state")) {
		h.problem(w, http.StatusBadRequest, "Setup link not recognised",
			"This link was not started from this portico's setup page, or it is more than an hour old. Start again from the setup page.")
		return
	}
	if q.Get("code") == "" {
		h.problem(w, http.StatusBadRequest, "No code from GitHub", "GitHub's redirect carried no code. Start again from the setup page.")
		return
	}
	h.completing.Lock()
	defer h.completing.Unlock()
	if created := h.Created(); created != nil {
		h.problem(w, http.StatusConflict, "Already set up",
			"portico already runs as the App "+created.Slug+". If you have just created another App on GitHub, delete it in GitHub's settings.")
		return
	}
	h.complete(w, r, q.Get("code"))
}

// complete exchanges the code, saves the credentials and switches over.
func (h *Handler) complete(w http.ResponseWriter, r *http.Request, code string) {
	creds, err := gh.ExchangeManifest(r.Context(), h.restBase, code)
	if err != nil {
		h.logger.ErrorContext(r.Context(), "setup: exchange manifest code", "err", err)
		h.problem(w, http.StatusBadGateway, "GitHub did not hand over the App", err.Error()+". Start again from the setup page.")
		return
	}
	creds.GitHubURL = h.restBase
	if err := config.SaveCredentials(h.dataDir, creds); err != nil {
		h.logger.ErrorContext(r.Context(), "setup: save credentials", "app", creds.Slug, "err", err)
		h.problem(w, http.StatusInternalServerError, "Credentials not saved",
			"GitHub created the App "+creds.Slug+" but portico could not save its credentials: "+err.Error()+
				". Delete the App in GitHub's settings, fix the data directory and start again.")
		return
	}
	h.mu.Lock()
	h.created = creds
	h.mu.Unlock()
	h.logger.InfoContext(r.Context(), "setup: GitHub App created", "app", creds.Slug, "id", creds.AppID, "owner", creds.Owner)
	if h.onCreated != nil {
		h.onCreated(creds)
	}
	h.render(w, http.StatusOK, "done.html", newDonePage(creds))
}

// donePage is what templates/done.html shows.
type donePage struct {
	Name, Slug, Owner, AppURL, InstallURL string
}

func newDonePage(c *config.AppCredentials) donePage {
	return donePage{
		Name: c.Name, Slug: c.Slug, Owner: c.Owner,
		AppURL: c.HTMLURL, InstallURL: c.HTMLURL + "/installations/new",
	}
}
