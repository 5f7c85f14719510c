package loadgen

import (
	"encoding/json"
	"fmt"
)

// PullRequest describes the pull request synchronize deliveries are about.
type PullRequest struct {
	Installation int64
	Owner, Repo  string
	Number       int
	HeadSHA      string
}

// Synchronize returns a pull_request.synchronize delivery for pr, shaped
// like GitHub's (the fields portico reads, and enough around them).
func Synchronize(pr PullRequest) Delivery {
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
	return Delivery{ID: NewID(), Event: "pull_request", Body: body}
}
