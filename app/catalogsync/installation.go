package catalogsync

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/jobs"
)

// installationRef is the installation every installation event names.
type installationRef struct {
	ID      int64 `json:"id"`
	Account struct {
		Login string `json:"login"`
	} `json:"account"`
}

type installationPayload struct {
	Action       string           `json:"action"`
	Installation *installationRef `json:"installation"`
}

// installationRoute discovers the repositories of a new installation and
// removes those of a deleted one. Suspension keeps the catalog as it is:
// the entities are still the organisation's, and pushes resume with it.
func installationRoute(_ context.Context, d *jobs.Delivery) ([]river.JobArgs, bool, error) {
	var p installationPayload
	if err := json.Unmarshal(d.Payload, &p); err != nil {
		return nil, false, fmt.Errorf("decode installation payload: %w", err)
	}
	if p.Action != "created" && p.Action != "deleted" {
		return nil, false, nil
	}
	id, account, err := checkInstallation(p.Installation)
	if err != nil {
		return nil, false, err
	}
	if p.Action == "created" {
		return []river.JobArgs{DiscoverArgs{InstallationID: id, Account: account}}, true, nil
	}
	return []river.JobArgs{RemoveArgs{InstallationID: id, Account: account, Uninstalled: true}}, true, nil
}

// checkInstallation validates an event's installation before it becomes
// a job.
func checkInstallation(i *installationRef) (int64, string, error) {
	if i == nil || i.ID <= 0 {
		return 0, "", fmt.Errorf("payload has no installation")
	}
	if !loginPattern.MatchString(i.Account.Login) {
		return 0, "", fmt.Errorf("payload has a malformed installation account")
	}
	return i.ID, i.Account.Login, nil
}

// checkFullName validates a repository's owner/name, which must be the
// installation account's.
func checkFullName(full, account string) error {
	owner, name, ok := strings.Cut(full, "/")
	if !ok {
		return fmt.Errorf("payload has a malformed repository name %q", full)
	}
	if err := catalog.CheckRepoName(owner, name); err != nil {
		return fmt.Errorf("payload has a malformed repository name: %w", err)
	}
	if !strings.EqualFold(owner, account) {
		return fmt.Errorf("payload names repository %q outside the installation's account %q", full, account)
	}
	return nil
}
