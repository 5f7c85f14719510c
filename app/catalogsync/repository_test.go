package catalogsync

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/riverqueue/river"
)

func TestRouteRepositoryEvents(t *testing.T) {
	t.Parallel()
	renamed := SyncArgs{InstallationID: 1, Owner: "Octocoders", Repo: "Hello-World", RepoID: 186853261,
		HTMLURL: "https://github.com/Octocoders/Hello-World", Branch: "master"}
	set := func(action string) func(map[string]any) { return func(p map[string]any) { p["action"] = action } }
	cases := []struct {
		name    string
		edit    func(map[string]any)
		want    []river.JobArgs
		wantErr string
	}{
		{"renamed", nil, []river.JobArgs{renamed}, ""},
		{"transferred", set("transferred"), []river.JobArgs{renamed}, ""},
		{"deleted", set("deleted"), []river.JobArgs{RemoveArgs{InstallationID: 1, Account: "Octocoders", Repos: []string{"Octocoders/Hello-World"}}}, ""},
		{"edited", set("edited"), nil, ""},
		{"fork renamed", func(p map[string]any) { p["repository"].(map[string]any)["fork"] = true }, nil, ""},
		{"no installation", func(p map[string]any) { delete(p, "installation") }, nil, "no installation"},
		{"hostile name", func(p map[string]any) { p["repository"].(map[string]any)["name"] = "../x" }, nil, "malformed"},
		{"hostile owner on delete", func(p map[string]any) {
			p["action"] = "deleted"
			p["repository"].(map[string]any)["owner"].(map[string]any)["login"] = "a/b"
		}, nil, "malformed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// The recorded example is a fork; most cases are about one that is not.
			edit := func(p map[string]any) {
				p["repository"].(map[string]any)["fork"] = false
				if tc.edit != nil {
					tc.edit(p)
				}
			}
			args, handled, err := repositoryRoute(context.Background(), recorded(t, "repository.renamed", edit))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || handled != (tc.want != nil) || !reflect.DeepEqual(args, tc.want) {
				t.Errorf("route = %+v, %v, %v; want %+v", args, handled, err, tc.want)
			}
		})
	}
}
