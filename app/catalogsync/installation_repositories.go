package catalogsync

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/jobs"
)

// maxEventRepos bounds the repositories one event may name. GitHub sends
// installation_repositories for what a person selects in its settings;
// far more than this is not a payload to trust.
const maxEventRepos = 10000

type shortRepo struct {
	FullName string `json:"full_name"`
}

type installationReposPayload struct {
	Action       string           `json:"action"`
	Installation *installationRef `json:"installation"`
	Added        []shortRepo      `json:"repositories_added"`
	Removed      []shortRepo      `json:"repositories_removed"`
}

// installationReposRoute discovers repositories added to an installation
// and removes those taken out of it.
func installationReposRoute(_ context.Context, d *jobs.Delivery) ([]river.JobArgs, bool, error) {
	var p installationReposPayload
	if err := json.Unmarshal(d.Payload, &p); err != nil {
		return nil, false, fmt.Errorf("decode installation_repositories payload: %w", err)
	}
	list := map[string][]shortRepo{"added": p.Added, "removed": p.Removed}[p.Action]
	if len(list) == 0 {
		return nil, false, nil
	}
	id, account, err := checkInstallation(p.Installation)
	if err != nil {
		return nil, false, err
	}
	repos, err := fullNames(list, account)
	if err != nil {
		return nil, false, err
	}
	if p.Action == "added" {
		return []river.JobArgs{DiscoverArgs{InstallationID: id, Account: account, Repos: repos}}, true, nil
	}
	return []river.JobArgs{RemoveArgs{InstallationID: id, Account: account, Repos: repos}}, true, nil
}

// fullNames validates the repositories an event lists.
func fullNames(list []shortRepo, account string) ([]string, error) {
	if len(list) > maxEventRepos {
		return nil, fmt.Errorf("payload lists %d repositories, more than %d", len(list), maxEventRepos)
	}
	out := make([]string, len(list))
	for i, r := range list {
		if err := checkFullName(r.FullName, account); err != nil {
			return nil, err
		}
		out[i] = r.FullName
	}
	return out, nil
}
