package checks

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/jobs"
)

// delivery loads a recorded GitHub payload from testdata/github/webhooks.
func delivery(t *testing.T, name string) *jobs.Delivery {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "github", "webhooks", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	event, action, _ := strings.Cut(name, ".")
	var p struct {
		Action string `json:"action"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	if p.Action != action && action != "" {
		t.Fatalf("%s has action %q", name, p.Action)
	}
	return &jobs.Delivery{ID: "d", Event: event, Action: p.Action, Payload: data}
}

func TestRoutesRecordedPayloads(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		handled bool
		jobs    int
	}{
		{"pull_request.opened", true, 1},
		{"pull_request.synchronize", true, 1},
		{"pull_request.reopened", true, 1},
		{"pull_request.ready_for_review", true, 1},
		{"pull_request.closed", false, 0},
		{"check_suite.rerequested", true, -1},
		{"push", false, 0},
	}
	routes := Routes()
	for _, c := range cases {
		d := delivery(t, c.name)
		args, handled, err := routes.Route(context.Background(), d)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if handled != c.handled || (c.jobs >= 0 && len(args) != c.jobs) || (c.jobs < 0 && len(args) == 0) {
			t.Errorf("%s: handled=%v jobs=%d, want %v %d", c.name, handled, len(args), c.handled, c.jobs)
		}
		for _, a := range args {
			ca := a.(CheckArgs)
			if ca.InstallationID == 0 || ca.Owner == "" || ca.Repo == "" || len(ca.HeadSHA) != 40 {
				t.Errorf("%s: incomplete job %+v", c.name, ca)
			}
			if !strings.HasPrefix(ca.SerializationKey(), "pr:"+ca.Owner+"/"+ca.Repo+"@") {
				t.Errorf("%s: key %q", c.name, ca.SerializationKey())
			}
		}
	}
}

func TestRouteRefusesMalformedPayloads(t *testing.T) {
	t.Parallel()
	bad := []string{
		`{"action":"opened","number":1,"repository":{"name":"r","owner":{"login":"o"}},"pull_request":{"head":{"sha":"abc"}},"installation":{"id":1}}`,
		`{"action":"opened","number":1,"repository":{"name":"../x","owner":{"login":"o"}},"pull_request":{"head":{"sha":"` + strings.Repeat("a", 40) + `"}},"installation":{"id":1}}`,
		`{"action":"opened","number":1,"pull_request":{"head":{"sha":"` + strings.Repeat("a", 40) + `"}}}`,
		`{"action":"opened","number":"x"}`,
	}
	for _, body := range bad {
		d := &jobs.Delivery{Event: "pull_request", Action: "opened", Payload: []byte(body)}
		if _, _, err := Routes().Route(context.Background(), d); err == nil {
			t.Errorf("accepted %s", body)
		}
	}
}

func TestCheckRunRerequestOnlyForOurCheck(t *testing.T) {
	t.Parallel()
	d := delivery(t, "check_run.rerequested")
	_, handled, err := Routes().Route(context.Background(), d)
	if err != nil || handled {
		t.Errorf("another app's check run re-run: handled=%v err=%v, want ignored", handled, err)
	}
	var p map[string]any
	json.Unmarshal(d.Payload, &p)
	p["check_run"].(map[string]any)["name"] = CheckName
	d.Payload, _ = json.Marshal(p)
	args, handled, err := Routes().Route(context.Background(), d)
	if err != nil || !handled || len(args) == 0 {
		t.Errorf("our check run re-run: handled=%v jobs=%d err=%v", handled, len(args), err)
	}
}
