package loadgen

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestRecordedPayloadIsGitHubs: the embedded payload is the repository's
// recording of GitHub's, byte for byte.
func TestRecordedPayloadIsGitHubs(t *testing.T) {
	t.Parallel()
	want, err := os.ReadFile("../../testdata/github/webhooks/pull_request.synchronize.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(recorded, want) {
		t.Error("testdata/pull_request.synchronize.json differs from the recording in testdata/github/webhooks")
	}
}

// synchronizePayload is what portico reads of a pull_request delivery.
type synchronizePayload struct {
	Action       string `json:"action"`
	Number       int    `json:"number"`
	After        string `json:"after"`
	Installation struct {
		ID int64 `json:"id"`
	} `json:"installation"`
	Repository struct {
		Name     string `json:"name"`
		FullName string `json:"full_name"`
		HTMLURL  string `json:"html_url"`
		Owner    struct {
			Login string `json:"login"`
		} `json:"owner"`
	} `json:"repository"`
	PullRequest struct {
		Number  int    `json:"number"`
		HTMLURL string `json:"html_url"`
		Head    struct {
			SHA string `json:"sha"`
		} `json:"head"`
	} `json:"pull_request"`
}

func TestSynchronizePayloads(t *testing.T) {
	t.Parallel()
	pr := PullRequest{Installation: 4242, Owner: "acme", Repo: "web", Number: 117, HeadSHA: strings.Repeat("b", 40)}
	tests := []struct {
		payload       Payload
		minSize, size int // bytes
	}{
		{PayloadGitHub, 20 << 10, 30 << 10},
		{PayloadSmall, 100, 1 << 10},
	}
	for _, tt := range tests {
		t.Run(string(tt.payload), func(t *testing.T) {
			t.Parallel()
			d := Synchronize(pr, tt.payload)
			if n := len(d.Body); n < tt.minSize || n > tt.size {
				t.Errorf("body of %d bytes, want %d to %d", n, tt.minSize, tt.size)
			}
			if d.Event != "pull_request" || d.ID == "" {
				t.Errorf("event %q id %q", d.Event, d.ID)
			}
			var p synchronizePayload
			if err := json.Unmarshal(d.Body, &p); err != nil {
				t.Fatalf("body is not JSON: %v", err)
			}
			if p.Action != "synchronize" || p.Number != 117 || p.PullRequest.Number != 117 || p.Installation.ID != 4242 ||
				p.Repository.FullName != "acme/web" || p.Repository.Name != "web" || p.Repository.Owner.Login != "acme" ||
				p.PullRequest.Head.SHA != pr.HeadSHA {
				t.Errorf("payload not rewritten for %+v: %+v", pr, p)
			}
			if tt.payload != PayloadGitHub {
				return
			}
			if p.After != pr.HeadSHA || p.PullRequest.HTMLURL != "https://github.com/acme/web/pull/117" || p.Repository.HTMLURL != "https://github.com/acme/web" {
				t.Errorf("recorded payload's URLs and after not rewritten: %+v", p)
			}
			for _, old := range []string{recordedOwner, recordedRepo, recordedSHA, "{{"} {
				if bytes.Contains(d.Body, []byte(old)) {
					t.Errorf("body still holds %q", old)
				}
			}
		})
	}
}

func TestSynchronizeEscapes(t *testing.T) {
	t.Parallel()
	d := Synchronize(PullRequest{Installation: 1, Owner: `a"b`, Repo: `c\d`, Number: 1, HeadSHA: "e"}, PayloadGitHub)
	var p synchronizePayload
	if err := json.Unmarshal(d.Body, &p); err != nil {
		t.Fatalf("body is not JSON: %v", err)
	}
	if p.Repository.FullName != `a"b/c\d` {
		t.Errorf("full_name %q", p.Repository.FullName)
	}
}

func TestParsePayload(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"github", "small"} {
		if p, err := ParsePayload(s); err != nil || string(p) != s {
			t.Errorf("ParsePayload(%q) = %q, %v", s, p, err)
		}
	}
	if _, err := ParsePayload("huge"); err == nil {
		t.Error("ParsePayload accepted huge")
	}
}
