package catalogsync

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/jobs"
)

const headSHA = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c"

type commitFiles struct {
	Added    []string `json:"added"`
	Modified []string `json:"modified"`
	Removed  []string `json:"removed"`
}

// pushDelivery adapts the recorded push payload (a tag deleted) to a push
// of branch with the given commits; edit changes it further.
func pushDelivery(t *testing.T, branch string, commits []commitFiles, edit func(map[string]any)) *jobs.Delivery {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "github", "webhooks", "push.json"))
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	p["ref"], p["after"], p["deleted"] = "refs/heads/"+branch, headSHA, false
	p["commits"] = commits
	if edit != nil {
		edit(p)
	}
	if data, err = json.Marshal(p); err != nil {
		t.Fatal(err)
	}
	return &jobs.Delivery{ID: "d", Event: "push", Payload: data}
}

func touching(paths ...string) []commitFiles {
	return []commitFiles{{Modified: []string{"README.md"}}, {Added: paths}}
}

func repo(p map[string]any) map[string]any { return p["repository"].(map[string]any) }

func TestRoutePush(t *testing.T) {
	t.Parallel()
	many := make([]commitFiles, maxListedCommits)
	cases := []struct {
		name    string
		d       *jobs.Delivery
		handled bool
		errs    string
	}{
		{"default branch, descriptor added", pushDelivery(t, "master", touching("catalog-info.yaml"), nil), true, ""},
		{"descriptor removed in a subdirectory", pushDelivery(t, "master", []commitFiles{{Removed: []string{"api/shop.catalog.yaml"}}}, nil), true, ""},
		{"other branch", pushDelivery(t, "feature", touching("catalog-info.yaml"), nil), false, ""},
		{"no descriptor touched, no file added or removed", pushDelivery(t, "master", []commitFiles{{Modified: []string{"src/main.go"}}}, nil), false, ""},
		{"a file added: the scores' facts moved", pushDelivery(t, "master", touching("CODEOWNERS"), nil), true, ""},
		{"truncated commit list", pushDelivery(t, "master", many, nil), true, ""},
		{"forced push listing nothing", pushDelivery(t, "master", nil, func(p map[string]any) { p["forced"] = true }), true, ""},
		{"recorded tag deletion", pushDelivery(t, "master", nil, func(p map[string]any) {
			p["ref"], p["after"], p["deleted"] = "refs/tags/simple-tag", zeroSHA, true
		}), false, ""},
		{"branch deleted", pushDelivery(t, "master", touching("catalog-info.yaml"), func(p map[string]any) {
			p["after"], p["deleted"] = zeroSHA, true
		}), false, ""},
		{"malformed sha", pushDelivery(t, "master", touching("catalog-info.yaml"), func(p map[string]any) { p["after"] = "HEAD" }), false, "head sha"},
		{"malformed owner", pushDelivery(t, "master", touching("catalog-info.yaml"), func(p map[string]any) {
			repo(p)["owner"].(map[string]any)["login"] = "../x"
		}), false, "repository name"},
		{"malformed URL", pushDelivery(t, "master", touching("catalog-info.yaml"), func(p map[string]any) {
			repo(p)["html_url"] = "javascript:alert(1)"
		}), false, "repository URL"},
		{"no installation", pushDelivery(t, "master", touching("catalog-info.yaml"), func(p map[string]any) { delete(p, "installation") }), false, "installation"},
		{"not JSON", &jobs.Delivery{Event: "push", Payload: []byte("{")}, false, "decode"},
	}
	route := Routes()["push"]
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args, handled, err := route(context.Background(), tc.d)
			if tc.errs != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errs) {
					t.Fatalf("err = %v, want one about %q", err, tc.errs)
				}
				return
			}
			if err != nil || handled != tc.handled || len(args) != map[bool]int{true: 1}[tc.handled] {
				t.Fatalf("route = %v, %v, %v; want handled %v", args, handled, err, tc.handled)
			}
			if !handled {
				return
			}
			want := SyncArgs{InstallationID: 1, Owner: "Codertocat", Repo: "Hello-World", RepoID: 186853002, HeadSHA: headSHA, HTMLURL: "https://github.com/Codertocat/Hello-World", Branch: "master"}
			if got := args[0].(SyncArgs); got != want {
				t.Errorf("args = %+v, want %+v", got, want)
			}
			if k := want.SerializationKey(); k != "repo:Codertocat/Hello-World" {
				t.Errorf("serialization key %q", k)
			}
		})
	}
}
