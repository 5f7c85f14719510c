package githubtest

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/google/go-github/v62/github"
)

func TestWebhookHeaders(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, err := f.srv.Commit("octo-org", "hello", "main", Files{"x": Text("x")}, "x")
	must(t, err)
	push := f.hooks.find("push", "")
	if len(push) != 1 {
		t.Fatalf("push deliveries = %d", len(push))
	}
	h := push[0].header
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	checks := map[string]bool{
		"X-GitHub-Delivery is a UUID":          uuid.MatchString(h.Get("X-GitHub-Delivery")),
		"X-GitHub-Hook-ID":                     h.Get("X-GitHub-Hook-ID") != "",
		"X-GitHub-Hook-Installation-Target-ID": h.Get("X-GitHub-Hook-Installation-Target-ID") == strconv.FormatInt(f.app.ID, 10),
		"target type integration":              h.Get("X-GitHub-Hook-Installation-Target-Type") == "integration",
		"User-Agent GitHub-Hookshot/":          regexp.MustCompile(`^GitHub-Hookshot/`).MatchString(h.Get("User-Agent")),
		"content type JSON":                    h.Get("Content-Type") == "application/json",
	}
	for what, ok := range checks {
		if !ok {
			t.Errorf("%s: headers %v", what, h)
		}
	}
	if kinds := f.hooks.find("installation", "created"); len(kinds) != 1 {
		t.Errorf("installation.created deliveries = %d", len(kinds))
	}
	if pings := f.hooks.find("ping", ""); len(pings) != 1 {
		t.Errorf("ping deliveries = %d", len(pings))
	}
}

func TestDeliveriesAndRedelivery(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	f.hooks.setStatus(http.StatusServiceUnavailable)
	_, err := f.srv.Commit("octo-org", "hello", "main", Files{"x": Text("x")}, "x")
	must(t, err)
	f.hooks.setStatus(http.StatusAccepted)
	ac := f.appClient(t)
	list, _, err := ac.Apps.ListHookDeliveries(ctx, nil)
	must(t, err)
	if len(list) != 3 || list[0].GetEvent() != "push" || list[0].GetStatusCode() != http.StatusServiceUnavailable {
		t.Fatalf("deliveries = %v", list)
	}
	if list[0].GetStatus() != "Invalid HTTP Response: 503" || list[2].GetEvent() != "ping" {
		t.Errorf("status %q, oldest %s", list[0].GetStatus(), list[2].GetEvent())
	}
	page, resp, err := ac.Apps.ListHookDeliveries(ctx, &github.ListCursorOptions{PerPage: 2})
	must(t, err)
	if len(page) != 2 || resp.Cursor == "" {
		t.Fatalf("first page of 2: %d, cursor %q", len(page), resp.Cursor)
	}
	rest, _, err := ac.Apps.ListHookDeliveries(ctx, &github.ListCursorOptions{PerPage: 2, Cursor: resp.Cursor})
	must(t, err)
	if len(rest) != 1 || rest[0].GetEvent() != "ping" {
		t.Errorf("second page = %v", rest)
	}
	// GitHub answers 202, which go-github reports as an AcceptedError.
	if _, _, err := ac.Apps.RedeliverHookDelivery(ctx, list[0].GetID()); !errors.As(err, new(*github.AcceptedError)) {
		t.Fatalf("redeliver: %v, want 202 Accepted", err)
	}
	f.srv.WaitDeliveries()
	pushes := f.hooks.find("push", "")
	if len(pushes) != 2 || pushes[0].guid != pushes[1].guid {
		t.Errorf("redelivery keeps the GUID: %v", pushes)
	}
	all := f.srv.Deliveries()
	if last := all[len(all)-1]; !last.Redelivery || last.StatusCode != http.StatusAccepted {
		t.Errorf("last delivery = %+v", last)
	}
}

func TestWebhooksFollowSubscriptions(t *testing.T) {
	t.Parallel()
	srv := New(t)
	hooks := newReceiver(t, secret)
	app, err := srv.CreateApp(AppOptions{WebhookURL: hooks.srv.URL, WebhookSecret: secret, Events: []string{"pull_request"}})
	must(t, err)
	must(t, srv.CreateRepo("octo-org", "hello", ""))
	_, err = srv.CreateInstallation(app.ID, "octo-org")
	must(t, err)
	_, err = srv.Commit("octo-org", "hello", "main", Files{"a": Text("a")}, "a")
	must(t, err)
	if len(hooks.find("push", "")) != 0 || len(hooks.find("installation", "created")) != 1 {
		t.Errorf("an App subscribed to pull_request only got push, or missed installation")
	}
}

func TestInstallationEvents(t *testing.T) {
	t.Parallel()
	srv := New(t)
	hooks := newReceiver(t, secret)
	app, err := srv.CreateApp(AppOptions{WebhookURL: hooks.srv.URL, WebhookSecret: secret})
	must(t, err)
	for _, name := range []string{"one", "two"} {
		must(t, srv.CreateRepo("octo-org", name, ""))
	}
	inst, err := srv.CreateInstallation(app.ID, "octo-org", "one")
	must(t, err)
	must(t, srv.AddInstallationRepos(inst, "two"))
	must(t, srv.RemoveInstallationRepos(inst, "one"))
	f := &fixture{srv: srv, app: app, inst: inst}
	c := newClient(t, srv, &bearer{f.tokenFor(t)})
	list, _, err := c.Apps.ListRepos(t.Context(), nil)
	must(t, err)
	if list.GetTotalCount() != 1 || list.Repositories[0].GetName() != "two" {
		t.Errorf("repositories after add and remove = %v", list.Repositories)
	}
	must(t, srv.DeleteInstallation(inst))
	for _, e := range []struct{ event, action, key string }{
		{"installation", "created", "repositories"},
		{"installation_repositories", "added", "repositories_added"},
		{"installation_repositories", "removed", "repositories_removed"},
		{"installation", "deleted", "installation"},
	} {
		got := hooks.find(e.event, e.action)
		if len(got) != 1 || got[0].payload[e.key] == nil {
			t.Errorf("%s.%s: %d deliveries", e.event, e.action, len(got))
		}
	}
	if got := hooks.find("installation_repositories", "added"); len(got) == 1 {
		added := got[0].payload["repositories_added"].([]any)
		if len(added) != 1 || added[0].(map[string]any)["full_name"] != "octo-org/two" {
			t.Errorf("repositories_added = %v", added)
		}
	}
	if _, _, err := c.Apps.ListRepos(t.Context(), nil); status(err) != http.StatusUnauthorized {
		t.Errorf("token of a deleted installation: %v", err)
	}
}

// TestInstallationEventsCarryTheInstallation: installation events carry
// the whole installation, its account included, as GitHub sends them.
func TestInstallationEventsCarryTheInstallation(t *testing.T) {
	t.Parallel()
	srv := New(t)
	hooks := newReceiver(t, secret)
	app, err := srv.CreateApp(AppOptions{WebhookURL: hooks.srv.URL, WebhookSecret: secret})
	must(t, err)
	must(t, srv.CreateRepo("octo-org", "one", ""))
	inst, err := srv.CreateInstallation(app.ID, "octo-org", "one")
	must(t, err)
	must(t, srv.RemoveInstallationRepos(inst, "one"))
	must(t, srv.DeleteInstallation(inst))
	for _, e := range [][2]string{{"installation", "created"}, {"installation_repositories", "removed"}, {"installation", "deleted"}} {
		got := hooks.find(e[0], e[1])
		if len(got) != 1 {
			t.Fatalf("%s.%s: %d deliveries", e[0], e[1], len(got))
		}
		i, _ := got[0].payload["installation"].(map[string]any)
		account, _ := i["account"].(map[string]any)
		if i["id"] != float64(inst) || account["login"] != "octo-org" || i["app_id"] != float64(app.ID) {
			t.Errorf("%s.%s installation = %v", e[0], e[1], i)
		}
	}
}
