package loadgen

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Payload chooses the body of the deliveries a run sends.
type Payload string

const (
	// PayloadGitHub is GitHub's own pull_request.synchronize payload as
	// recorded (octokit/webhooks-examples, the copy in
	// testdata/github/webhooks), compacted as GitHub sends it: about 24 KB,
	// the size portico has to accept. Only the installation, repository,
	// pull request number and head SHA are rewritten per delivery.
	PayloadGitHub Payload = "github"
	// PayloadSmall carries the fields portico reads and little more, about
	// 400 bytes: the load generator's payload before it sent GitHub's.
	PayloadSmall Payload = "small"
)

// ParsePayload returns the Payload named s.
func ParsePayload(s string) (Payload, error) {
	switch p := Payload(s); p {
	case PayloadGitHub, PayloadSmall:
		return p, nil
	}
	return "", fmt.Errorf("payload %q: want %s or %s", s, PayloadGitHub, PayloadSmall)
}

// PullRequest describes the pull request synchronize deliveries are about.
type PullRequest struct {
	Installation int64
	Owner, Repo  string
	Number       int
	HeadSHA      string
}

// Synchronize returns a pull_request.synchronize delivery for pr with the
// body p selects.
func Synchronize(pr PullRequest, p Payload) Delivery {
	body := recordedSynchronize(pr)
	if p == PayloadSmall {
		body = smallSynchronize(pr)
	}
	return Delivery{ID: NewID(), Event: "pull_request", Body: body}
}

//go:embed testdata/pull_request.synchronize.json
var recorded []byte

// Values of the recording that recordedSynchronize rewrites.
const (
	recordedOwner = "Codertocat"
	recordedRepo  = "Hello-World"
	recordedSHA   = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
)

// recordedNumber matches the pull request's number in its URLs and fields.
var recordedNumber = regexp.MustCompile(`(Hello-World/(?:pulls|pull|issues)/)2\b|("number":)2\b`)

// template is the compacted recording with its installation, owner,
// repository, number and head SHA replaced by {{placeholders}}.
var template = sync.OnceValue(func() string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, recorded); err != nil {
		panic("loadgen: recorded payload: " + err.Error())
	}
	s := strings.Replace(buf.String(), `"installation":{"id":1,`, `"installation":{"id":{{installation}},`, 1)
	s = recordedNumber.ReplaceAllString(s, "${1}${2}{{number}}")
	return strings.NewReplacer(recordedSHA, "{{sha}}", recordedOwner, "{{owner}}", recordedRepo, "{{repo}}").Replace(s)
})

// recordedSynchronize returns GitHub's recorded payload rewritten for pr.
// The recording's owner is also its sender and author, so all three
// become pr.Owner.
func recordedSynchronize(pr PullRequest) []byte {
	return []byte(strings.NewReplacer(
		"{{installation}}", strconv.FormatInt(pr.Installation, 10),
		"{{number}}", strconv.Itoa(pr.Number),
		"{{sha}}", jsonText(pr.HeadSHA),
		"{{owner}}", jsonText(pr.Owner),
		"{{repo}}", jsonText(pr.Repo),
	).Replace(template()))
}

// jsonText returns s escaped for the inside of a JSON string.
func jsonText(s string) string {
	b, _ := json.Marshal(s) // a string always encodes
	return string(b[1 : len(b)-1])
}

// smallSynchronize is the fields portico reads, and enough around them.
func smallSynchronize(pr PullRequest) []byte {
	body, _ := json.Marshal(map[string]any{
		"action": "synchronize",
		"number": pr.Number,
		"pull_request": map[string]any{
			"number": pr.Number, "state": "open",
			"head": map[string]any{"sha": pr.HeadSHA, "ref": fmt.Sprintf("branch-%d", pr.Number)},
			"base": map[string]any{"ref": "main"},
		},
		"repository": map[string]any{
			"name": pr.Repo, "full_name": pr.Owner + "/" + pr.Repo,
			"owner": map[string]any{"login": pr.Owner},
		},
		"installation": map[string]any{"id": pr.Installation},
		"sender":       map[string]any{"login": "loadgen", "type": "User"},
	})
	return body
}
