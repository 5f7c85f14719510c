package catalogsync

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/jobs"
)

// FuzzRoutePush feeds arbitrary payloads to the push route: it never
// panics, and every job it makes passes the payload checks.
func FuzzRoutePush(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "github", "webhooks", "push.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"ref":"refs/heads/main","after":"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c","forced":true,"installation":{"id":1},"repository":{"name":"web","default_branch":"main","html_url":"https://github.com/acme/web","owner":{"login":"acme"}}}`))
	route := Routes()["push"]
	f.Fuzz(func(t *testing.T, payload []byte) {
		args, handled, err := route(context.Background(), &jobs.Delivery{Event: "push", Payload: payload})
		if err != nil || !handled {
			return
		}
		a := args[0].(SyncArgs)
		if !shaPattern.MatchString(a.HeadSHA) || catalog.CheckRepoName(a.Owner, a.Repo) != nil || a.InstallationID <= 0 {
			t.Fatalf("route made a job of a malformed payload: %+v", a)
		}
	})
}

// FuzzRouteInstallation feeds arbitrary payloads to the installation
// routes: they never panic, and every job they make names a valid
// installation, account and repositories of that account.
func FuzzRouteInstallation(f *testing.F) {
	for _, name := range []string{"installation.created", "installation.deleted", "installation_repositories.added", "installation_repositories.removed", "repository.renamed"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "github", "webhooks", name+".json"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(name[:strings.Index(name, ".")], data)
	}
	f.Add("installation_repositories", []byte(`{"action":"removed","installation":{"id":3,"account":{"login":"acme"}},"repositories_removed":[{"full_name":"ACME/web"},{"full_name":"acme"}]}`))
	f.Add("repository", []byte(`{"action":"deleted","installation":{"id":3},"repository":{"id":7,"name":"web","owner":{"login":"acme"}}}`))
	routes := Routes()
	f.Fuzz(func(t *testing.T, event string, payload []byte) {
		route := routes[event]
		if route == nil || event == "push" {
			return
		}
		args, handled, err := route(context.Background(), &jobs.Delivery{Event: event, Payload: payload})
		if err != nil || !handled {
			return
		}
		if len(args) != 1 {
			t.Fatalf("%d jobs, want 1", len(args))
		}
		var id int64
		var account string
		var repos []string
		switch a := args[0].(type) {
		case DiscoverArgs:
			id, account, repos = a.InstallationID, a.Account, a.Repos
		case RemoveArgs:
			id, account, repos = a.InstallationID, a.Account, a.Repos
			if !a.Uninstalled && len(repos) == 0 {
				t.Fatalf("a removal of nothing: %+v", a)
			}
		case SyncArgs:
			id, account = a.InstallationID, a.Owner
			if err := checkRepoArgs(a); err != nil || a.RepoID < 0 {
				t.Fatalf("route made a sync of a malformed repository: %+v, %v", a, err)
			}
		default:
			t.Fatalf("job %T", a)
		}
		if id <= 0 || !loginPattern.MatchString(account) {
			t.Fatalf("route made a job of a malformed installation: %+v", args[0])
		}
		for _, r := range repos {
			if err := checkFullName(r, account); err != nil {
				t.Fatalf("route made a job of a malformed repository: %v", err)
			}
		}
	})
}
