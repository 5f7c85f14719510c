package catalogsync

import (
	"context"
	"os"
	"path/filepath"
	"testing"

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
		if !shaPattern.MatchString(a.HeadSHA) || !namePattern.MatchString(a.Owner) || !namePattern.MatchString(a.Repo) || a.InstallationID <= 0 {
			t.Fatalf("route made a job of a malformed payload: %+v", a)
		}
	})
}
