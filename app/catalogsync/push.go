package catalogsync

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/jobs"
	"github.com/portico-dev/portico/app/validate"
	"github.com/portico-dev/portico/app/webhook"
)

// Routes returns the events the catalog sync acts on.
func Routes() webhook.Routes {
	m, _ := validate.NewMatcher(nil)
	return webhook.Routes{
		"push":                      pushRoute(m),
		"installation":              installationRoute,
		"installation_repositories": installationReposRoute,
		"repository":                repositoryRoute,
	}
}

// maxListedCommits is how many commits GitHub lists in a push payload; a
// push with more may touch descriptors the list does not show.
const maxListedCommits = 20

var (
	shaPattern = regexp.MustCompile(`^[0-9a-f]{40}$`)
	// loginPattern admits GitHub's account logins, with the underscores
	// and length that managed users and GitHub Enterprise Server allow.
	loginPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$`)
	// branchPattern is conservative: the name goes into an API path.
	branchPattern = regexp.MustCompile(`^[A-Za-z0-9_./-]{1,255}$`)
	zeroSHA       = "0000000000000000000000000000000000000000"
)

type pushPayload struct {
	Ref     string `json:"ref"`
	After   string `json:"after"`
	Deleted bool   `json:"deleted"`
	Forced  bool   `json:"forced"`
	Commits []struct {
		Added    []string `json:"added"`
		Modified []string `json:"modified"`
		Removed  []string `json:"removed"`
	} `json:"commits"`
	Installation *struct {
		ID int64 `json:"id"`
	} `json:"installation"`
	Repository *struct {
		ID            int64  `json:"id"`
		Name          string `json:"name"`
		HTMLURL       string `json:"html_url"`
		DefaultBranch string `json:"default_branch"`
		Owner         struct {
			Login string `json:"login"`
		} `json:"owner"`
	} `json:"repository"`
}

func pushRoute(m validate.Matcher) func(context.Context, *jobs.Delivery) ([]river.JobArgs, bool, error) {
	return func(_ context.Context, d *jobs.Delivery) ([]river.JobArgs, bool, error) {
		var p pushPayload
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			return nil, false, fmt.Errorf("decode push payload: %w", err)
		}
		if p.Repository == nil || p.Repository.DefaultBranch == "" || p.Ref != "refs/heads/"+p.Repository.DefaultBranch ||
			p.Deleted || p.After == zeroSHA {
			return nil, false, nil
		}
		a, err := syncArgs(&p)
		if err != nil {
			return nil, false, err
		}
		if !touchesDescriptors(&p, m) {
			return nil, false, nil
		}
		return []river.JobArgs{a}, true, nil
	}
}

// syncArgs validates what a payload says before it becomes a job.
func syncArgs(p *pushPayload) (SyncArgs, error) {
	if p.Installation == nil || p.Installation.ID <= 0 {
		return SyncArgs{}, fmt.Errorf("payload has no installation")
	}
	r := p.Repository
	a := SyncArgs{InstallationID: p.Installation.ID, Owner: r.Owner.Login, Repo: r.Name, RepoID: max(r.ID, 0), HeadSHA: p.After, HTMLURL: r.HTMLURL, Branch: r.DefaultBranch}
	if err := checkRepoArgs(a); err != nil {
		return a, err
	}
	if !shaPattern.MatchString(a.HeadSHA) {
		return a, fmt.Errorf("payload has a malformed head sha")
	}
	return a, nil
}

// checkRepoArgs validates what names the repository, its branch and its
// URL, which go into API paths, the catalog's paths and its annotations.
func checkRepoArgs(a SyncArgs) error {
	if err := catalog.CheckRepoName(a.Owner, a.Repo); err != nil {
		return fmt.Errorf("payload has a malformed repository name: %w", err)
	}
	if !branchPattern.MatchString(a.Branch) || strings.Contains(a.Branch, "..") {
		return fmt.Errorf("payload has a malformed default branch")
	}
	if u, err := url.Parse(a.HTMLURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("payload has a malformed repository URL")
	}
	return nil
}

// touchesDescriptors reports whether the push may change what the
// catalog records: a listed file is a descriptor, or is added or removed
// (the repository's file list is a fact its scores are judged on: a
// CODEOWNERS or a workflow moves them), or the list may be incomplete.
func touchesDescriptors(p *pushPayload, m validate.Matcher) bool {
	if len(p.Commits) >= maxListedCommits || (len(p.Commits) == 0 && p.Forced) {
		return true
	}
	for _, c := range p.Commits {
		if len(c.Added)+len(c.Removed) > 0 {
			return true
		}
		for _, f := range c.Modified {
			if m.Match(f) {
				return true
			}
		}
	}
	return false
}
