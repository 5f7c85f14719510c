package checks

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"

	"github.com/google/go-github/v62/github"

	"github.com/portico-dev/portico/app/checkrun"
	"github.com/portico-dev/portico/app/facts"
	"github.com/portico-dev/portico/app/ghfacts"
)

// Clients gives the API client of an installation; *gh.Apps is one.
type Clients interface {
	Installation(id int64) (*github.Client, error)
}

// Repo is what the check reads of a repository on GitHub, the facts that
// scorecards judge included.
type Repo interface {
	// PullRequest returns a pull request's head and base commits and
	// whether it is open.
	PullRequest(ctx context.Context, number int) (Pull, error)
	// PullRequestsWithCommit lists the open pull requests whose head is sha.
	PullRequestsWithCommit(ctx context.Context, sha string) ([]int, error)
	// ChangedFiles lists every file a pull request changes, removed ones
	// included, following pagination (GitHub lists at most 3,000).
	ChangedFiles(ctx context.Context, number int) ([]Change, error)
	// File reads a file at ref; its size comes with it. A file too large
	// for the API to return inline has no content. A missing file is an
	// error wrapping fs.ErrNotExist, a directory one wrapping
	// fs.ErrInvalid.
	File(ctx context.Context, path, ref string) (content []byte, size int64, err error)
	facts.Remote
}

// Pull is a pull request as the check needs it.
type Pull struct {
	Head, Base string // commits
	Open       bool
}

// Change is one file a pull request changes.
type Change struct {
	Path     string
	Previous string // the path before a rename; "" otherwise
	Status   string // GitHub's: added, removed, modified, renamed, copied, changed, unchanged
}

// GitHub connects the check to an installation: reads of a repository and
// the checks API its runs are published through.
type GitHub interface {
	Repo(installation int64, owner, name string) (Repo, error)
	checkrun.Installations
}

// FromClients adapts an installation's go-github clients to GitHub.
// appID is the App whose own check runs are looked for on a re-run.
func FromClients(c Clients, appID int64) GitHub {
	return &clientsGitHub{Installations: checkrun.FromClients(c, appID), c: c}
}

type clientsGitHub struct {
	checkrun.Installations
	c Clients
}

func (g *clientsGitHub) Repo(installation int64, owner, name string) (Repo, error) {
	c, err := g.c.Installation(installation)
	if err != nil {
		return nil, err
	}
	return &githubRepo{Remote: ghfacts.New(c, owner, name), c: c, owner: owner, name: name}, nil
}

// githubRepo is Repo over go-github.
type githubRepo struct {
	*ghfacts.Remote
	c           *github.Client
	owner, name string
}

func (r *githubRepo) PullRequest(ctx context.Context, number int) (Pull, error) {
	pr, _, err := r.c.PullRequests.Get(ctx, r.owner, r.name, number)
	if err != nil {
		return Pull{}, fmt.Errorf("pull request #%d: %w", number, err)
	}
	return Pull{Head: pr.GetHead().GetSHA(), Base: pr.GetBase().GetSHA(), Open: pr.GetState() == "open"}, nil
}

func (r *githubRepo) PullRequestsWithCommit(ctx context.Context, sha string) ([]int, error) {
	prs, _, err := r.c.PullRequests.ListPullRequestsWithCommit(ctx, r.owner, r.name, sha, &github.ListOptions{PerPage: 100})
	if err != nil {
		return nil, fmt.Errorf("pull requests of %s: %w", sha, err)
	}
	var out []int
	for _, p := range prs {
		if p.GetState() == "open" && p.GetHead().GetSHA() == sha {
			out = append(out, p.GetNumber())
		}
	}
	return out, nil
}

func (r *githubRepo) ChangedFiles(ctx context.Context, number int) ([]Change, error) {
	var out []Change
	opts := &github.ListOptions{PerPage: 100}
	for {
		files, resp, err := r.c.PullRequests.ListFiles(ctx, r.owner, r.name, number, opts)
		if err != nil {
			return nil, fmt.Errorf("files of pull request #%d: %w", number, err)
		}
		for _, f := range files {
			out = append(out, Change{Path: f.GetFilename(), Previous: f.GetPreviousFilename(), Status: f.GetStatus()})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

func (r *githubRepo) File(ctx context.Context, path, ref string) ([]byte, int64, error) {
	fc, _, resp, err := r.c.Repositories.GetContents(ctx, r.owner, r.name, path, &github.RepositoryContentGetOptions{Ref: ref})
	if resp != nil && resp.StatusCode == http.StatusNotFound {
		return nil, 0, fmt.Errorf("read %s at %s: %w", path, ref, fs.ErrNotExist)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read %s at %s: %w", path, ref, err)
	}
	if fc == nil || fc.GetType() != "file" {
		return nil, 0, fmt.Errorf("read %s at %s: %w: not a file", path, ref, fs.ErrInvalid)
	}
	if fc.GetEncoding() == "none" {
		return nil, int64(fc.GetSize()), nil // over 1 MB: GitHub leaves the content out
	}
	content, err := fc.GetContent()
	if err != nil {
		return nil, 0, fmt.Errorf("decode %s: %w", path, err)
	}
	return []byte(content), int64(fc.GetSize()), nil
}
