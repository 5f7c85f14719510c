package catalogsync

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/jobs"
)

type repositoryPayload struct {
	Action       string           `json:"action"`
	Installation *installationRef `json:"installation"`
	Repository   *struct {
		ID            int64  `json:"id"`
		Name          string `json:"name"`
		HTMLURL       string `json:"html_url"`
		DefaultBranch string `json:"default_branch"`
		Fork          bool   `json:"fork"`
		Owner         struct {
			Login string `json:"login"`
		} `json:"owner"`
	} `json:"repository"`
}

// repositoryRoute follows a repository's life: deleted, its entities
// leave the catalog in one commit; renamed or transferred (into the
// installation's account), it is synced under its new name at once, and
// the catalog, knowing its id, moves its entities there.
func repositoryRoute(_ context.Context, d *jobs.Delivery) ([]river.JobArgs, bool, error) {
	var p repositoryPayload
	if err := json.Unmarshal(d.Payload, &p); err != nil {
		return nil, false, fmt.Errorf("decode repository payload: %w", err)
	}
	if p.Action != "deleted" && p.Action != "renamed" && p.Action != "transferred" {
		return nil, false, nil
	}
	if p.Installation == nil || p.Installation.ID <= 0 {
		return nil, false, fmt.Errorf("payload has no installation")
	}
	r := p.Repository
	if r == nil {
		return nil, false, fmt.Errorf("payload has no repository")
	}
	if !loginPattern.MatchString(r.Owner.Login) {
		return nil, false, fmt.Errorf("payload has a malformed repository owner")
	}
	if p.Action == "deleted" {
		full := r.Owner.Login + "/" + r.Name
		if err := checkFullName(full, r.Owner.Login); err != nil {
			return nil, false, err
		}
		return []river.JobArgs{RemoveArgs{InstallationID: p.Installation.ID, Account: r.Owner.Login, Repos: []string{full}}}, true, nil
	}
	if r.Fork {
		return nil, false, nil // discovery leaves forks out; so does this
	}
	a := SyncArgs{InstallationID: p.Installation.ID, Owner: r.Owner.Login, Repo: r.Name, RepoID: max(r.ID, 0),
		HTMLURL: r.HTMLURL, Branch: r.DefaultBranch}
	if err := checkRepoArgs(a); err != nil {
		return nil, false, err
	}
	return []river.JobArgs{a}, true, nil
}
