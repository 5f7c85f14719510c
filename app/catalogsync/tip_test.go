package catalogsync

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/githubtest"
)

// TestLateJobRecordsTheTip runs the job of an older push after a newer one
// moved the branch: it must record the tip, never the older state.
func TestLateJobRecordsTheTip(t *testing.T) {
	t.Parallel()
	fake := githubtest.New(t)
	app, err := fake.CreateApp(githubtest.AppOptions{})
	check(t, err)
	check(t, fake.CreateRepo("acme", "web", "main"))
	older, err := fake.Commit("acme", "web", "main", githubtest.Files{"catalog-info.yaml": githubtest.Text(validDoc)}, "first")
	check(t, err)
	newer, err := fake.Commit("acme", "web", "main", githubtest.Files{"catalog-info.yaml": githubtest.Text(strings.Replace(validDoc, "web-shop", "web-store", 1))}, "rename")
	check(t, err)
	apps, inst, central, store := installed(t, fake, app, "web")
	r := NewRunner(apps, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	job := &river.Job[SyncArgs]{Args: SyncArgs{InstallationID: inst, Owner: "acme", Repo: "web", HeadSHA: older,
		HTMLURL: "https://github.com/acme/web", Branch: "main"}}
	check(t, r.Work(context.Background(), job))
	cat, err := catalog.Load(context.Background(), central, "")
	check(t, err)
	if cat.Len() != 1 || !strings.Contains(strings.Join(refStrings(cat), ","), "web-store") {
		t.Errorf("catalog holds %v, want only the tip's web-store (recorded from %s, not %s)", refStrings(cat), newer[:7], older[:7])
	}
}

// installed installs app on acme (on repos, or all with none) and opens
// a central catalog to sync into.
func installed(t *testing.T, fake *githubtest.Server, app githubtest.App, repos ...string) (*gh.Apps, int64, string, *catalog.Store) {
	t.Helper()
	inst, err := fake.CreateInstallation(app.ID, "acme", repos...)
	check(t, err)
	apps, err := gh.NewApps(app.ID, app.PrivateKeyPEM, fake.URL())
	check(t, err)
	central := filepath.Join(t.TempDir(), "catalog.git")
	store, err := catalog.Open(central)
	check(t, err)
	return apps, inst, central, store
}

func refStrings(c *catalog.Catalog) []string {
	var out []string
	for _, r := range c.Refs() {
		out = append(out, r.String())
	}
	return out
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestDiscoveredSyncRecordsTheTip: a discovered sync names no commit; it
// records the default branch's tip, and an empty repository records
// nothing without failing.
func TestDiscoveredSyncRecordsTheTip(t *testing.T) {
	t.Parallel()
	fake := githubtest.New(t)
	app, err := fake.CreateApp(githubtest.AppOptions{})
	check(t, err)
	check(t, fake.CreateRepo("acme", "web", "trunk"))
	check(t, fake.CreateRepo("acme", "empty", "main"))
	tip, err := fake.Commit("acme", "web", "trunk", githubtest.Files{"catalog-info.yaml": githubtest.Text(validDoc)}, "describe")
	check(t, err)
	apps, inst, central, store := installed(t, fake, app)
	r := NewRunner(apps, store, nil).WithReserve(apps)
	for _, name := range []string{"empty", "web"} {
		job := &river.Job[SyncArgs]{Args: SyncArgs{InstallationID: inst, Owner: "acme", Repo: name,
			HTMLURL: "https://github.com/acme/" + name, Branch: map[string]string{"web": "trunk", "empty": "main"}[name], Discovered: true}}
		if err := r.Work(context.Background(), job); err != nil {
			t.Fatalf("sync of acme/%s: %v", name, err)
		}
	}
	sources, err := store.Sources()
	check(t, err)
	if strings.Join(sources, ",") != "acme/web" {
		t.Errorf("sources %v, want only acme/web", sources)
	}
	log, err := catalog.Log(context.Background(), central, descriptor.Ref{Kind: "component", Namespace: "default", Name: "web-shop"})
	if err != nil || len(log) != 1 || !strings.Contains(log[0].Subject, "acme/web@"+tip[:7]) {
		t.Errorf("history %+v (%v), want one commit naming the tip %s", log, err, tip)
	}
	if rate, ok := apps.RateLimit(inst); !ok || rate.Remaining >= rate.Limit || rate.Limit != 5000 {
		t.Errorf("rate limit after the syncs: %+v, %v", rate, ok)
	}
}
