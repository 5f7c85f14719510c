package catalogsync

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/jobs"
)

// recorded reads a recorded payload, edited by edit, as a delivery.
func recorded(t *testing.T, name string, edit func(map[string]any)) *jobs.Delivery {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "github", "webhooks", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(p)
	}
	if data, err = json.Marshal(p); err != nil {
		t.Fatal(err)
	}
	event, _, _ := strings.Cut(name, ".")
	return &jobs.Delivery{ID: "d", Event: event, Payload: data}
}

func login(p map[string]any, l any) {
	p["installation"].(map[string]any)["account"].(map[string]any)["login"] = l
}

func TestRouteInstallationEvents(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		d    *jobs.Delivery
		want river.JobArgs // nil: not handled
		errs string
	}{
		{"created", recorded(t, "installation.created", nil), DiscoverArgs{InstallationID: 957387, Account: "Codertocat"}, ""},
		{"deleted", recorded(t, "installation.deleted", nil), RemoveArgs{InstallationID: 2, Account: "octocat", Uninstalled: true}, ""},
		{"suspended", recorded(t, "installation.created", func(p map[string]any) { p["action"] = "suspend" }), nil, ""},
		{"repositories added", recorded(t, "installation_repositories.added", nil),
			DiscoverArgs{InstallationID: 957387, Account: "Codertocat", Repos: []string{"Codertocat/Space"}}, ""},
		{"repositories removed", recorded(t, "installation_repositories.removed", nil),
			RemoveArgs{InstallationID: 2, Account: "octocat", Repos: []string{"octocat/Hello-World"}}, ""},
		{"nothing removed", recorded(t, "installation_repositories.removed", func(p map[string]any) { p["repositories_removed"] = []any{} }), nil, ""},
		{"no installation", recorded(t, "installation.created", func(p map[string]any) { delete(p, "installation") }), nil, "no installation"},
		{"zero installation id", recorded(t, "installation.deleted", func(p map[string]any) { p["installation"].(map[string]any)["id"] = 0 }), nil, "no installation"},
		{"malformed account", recorded(t, "installation.deleted", func(p map[string]any) { login(p, "../x") }), nil, "installation account"},
		{"account not a string", recorded(t, "installation.created", func(p map[string]any) { login(p, 7) }), nil, "decode"},
		{"repository of another account", recorded(t, "installation_repositories.removed", func(p map[string]any) {
			p["repositories_removed"] = []any{map[string]any{"full_name": "someone-else/Hello-World"}}
		}), nil, "outside the installation's account"},
		{"malformed repository", recorded(t, "installation_repositories.added", func(p map[string]any) {
			p["repositories_added"] = []any{map[string]any{"full_name": "Codertocat/.."}}
		}), nil, "malformed repository name"},
		{"not JSON", &jobs.Delivery{Event: "installation", Payload: []byte("[")}, nil, "decode"},
	}
	routes := Routes()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args, handled, err := routes.Route(context.Background(), tc.d)
			if tc.errs != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errs) {
					t.Fatalf("err = %v, want one about %q", err, tc.errs)
				}
				return
			}
			if err != nil || handled != (tc.want != nil) {
				t.Fatalf("route = %v, %v, %v; want %v", args, handled, err, tc.want)
			}
			if tc.want != nil && (len(args) != 1 || !reflect.DeepEqual(args[0], tc.want)) {
				t.Errorf("args = %#v, want %#v", args, tc.want)
			}
		})
	}
}

// TestJobOptions: pushes' syncs wait behind pull request checks (River's
// first priority), discovered syncs behind pushes' syncs, and a
// discovered sync equal to a waiting one is not queued twice.
func TestJobOptions(t *testing.T) {
	t.Parallel()
	push := SyncArgs{Owner: "acme", Repo: "web"}.InsertOpts()
	found := SyncArgs{Owner: "acme", Repo: "web", Discovered: true}.InsertOpts()
	if push.Priority <= 1 || push.UniqueOpts.ByArgs || push.Queue == jobs.QueueInteractive {
		t.Errorf("a push's sync: %+v, want a priority after checks', no uniqueness, not on the interactive queue", push)
	}
	if found.Priority <= push.Priority || (DiscoverArgs{}).InsertOpts().Priority <= 1 || !found.UniqueOpts.ByArgs {
		t.Errorf("a discovered sync: %+v, want a lower priority and unique by args", found)
	}
}
