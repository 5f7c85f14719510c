package checks

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/portico-dev/portico/app/jobs"
)

// FuzzRoutes feeds arbitrary payloads to the check's routes: no panic, and
// every job they give names a well-formed repository and head.
func FuzzRoutes(f *testing.F) {
	for _, name := range []string{"pull_request.opened", "check_suite.rerequested", "check_run.rerequested"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "github", "webhooks", name+".json"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add("pull_request", "opened", data)
		f.Add("check_suite", "rerequested", data)
	}
	f.Fuzz(func(t *testing.T, event, action string, payload []byte) {
		d := &jobs.Delivery{Event: event, Action: action, Payload: payload}
		args, handled, err := Routes().Route(context.Background(), d)
		if err != nil || !handled {
			return
		}
		for _, a := range args {
			ca := a.(CheckArgs)
			if ca.InstallationID <= 0 || !namePattern.MatchString(ca.Owner) || !namePattern.MatchString(ca.Repo) || !shaPattern.MatchString(ca.HeadSHA) {
				t.Fatalf("malformed job %+v", ca)
			}
		}
	})
}
