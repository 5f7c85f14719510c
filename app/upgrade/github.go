package upgrade

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/google/go-github/v62/github"

	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/tree"
)

// Repo is GitHub over an installation's go-github client (from
// gh.Apps.Installation, so writes are paced).
type Repo struct {
	c           *github.Client
	owner, name string
}

// NewRepo returns the GitHub of one repository.
func NewRepo(c *github.Client, owner, name string) *Repo {
	return &Repo{c: c, owner: owner, name: name}
}

// bulk marks writes as Bulk priority, one flow per repository.
func (r *Repo) bulk(ctx context.Context) context.Context {
	return gh.WithPriority(ctx, gh.Bulk, "template-upgrade:"+r.owner+"/"+r.name)
}

// Pulls implements GitHub.
func (r *Repo) Pulls(ctx context.Context, branch string) ([]Pull, error) {
	prs, _, err := r.c.PullRequests.List(ctx, r.owner, r.name, &github.PullRequestListOptions{
		State: "all", Head: r.owner + ":" + branch, Sort: "created", Direction: "desc",
		ListOptions: github.ListOptions{PerPage: 10},
	})
	if err != nil {
		return nil, err
	}
	out := make([]Pull, 0, len(prs))
	for _, p := range prs {
		out = append(out, Pull{
			Number: p.GetNumber(), URL: p.GetHTMLURL(), Title: p.GetTitle(), Body: p.GetBody(),
			Open: p.GetState() == "open", HeadSHA: p.GetHead().GetSHA(),
		})
	}
	return out, nil
}

// Branch implements GitHub.
func (r *Repo) Branch(ctx context.Context, branch string) (string, error) {
	ref, resp, err := r.c.Git.GetRef(ctx, r.owner, r.name, "heads/"+branch)
	if resp != nil && resp.StatusCode == http.StatusNotFound {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return ref.GetObject().GetSHA(), nil
}

// Commit implements GitHub.
func (r *Repo) Commit(ctx context.Context, sha string) (Commit, error) {
	c, _, err := r.c.Git.GetCommit(ctx, r.owner, r.name, sha)
	if err != nil {
		return Commit{}, err
	}
	out := Commit{SHA: c.GetSHA(), Tree: c.GetTree().GetSHA(), Message: c.GetMessage()}
	for _, p := range c.Parents {
		out.Parents = append(out.Parents, p.GetSHA())
	}
	return out, nil
}

// CreateTree implements GitHub: text files inline, no blob per file. A
// file whose bytes are not UTF-8 cannot travel as a JSON string, so it
// costs a blob of its own (Base64) first: one write more per binary file.
// Trees and blobs are content-addressed, so resending is safe.
func (r *Repo) CreateTree(ctx context.Context, baseTree string, files tree.Tree, deleted []string) (string, error) {
	ctx = gh.ReplaySafe(r.bulk(ctx))
	var entries []*github.TreeEntry
	for _, p := range files.Paths() {
		e, err := r.entry(ctx, p, files[p])
		if err != nil {
			return "", err
		}
		entries = append(entries, e)
	}
	for _, p := range deleted {
		entries = append(entries, &github.TreeEntry{Path: github.String(p), Mode: github.String("100644"), Type: github.String("blob")})
	}
	t, _, err := r.c.Git.CreateTree(ctx, r.owner, r.name, baseTree, entries)
	if err != nil {
		return "", err
	}
	return t.GetSHA(), nil
}

func (r *Repo) entry(ctx context.Context, path string, f tree.File) (*github.TreeEntry, error) {
	e := &github.TreeEntry{Path: github.String(path), Mode: github.String(f.Mode.GitMode()), Type: github.String("blob")}
	if utf8.Valid(f.Data) {
		e.Content = github.String(string(f.Data))
		return e, nil
	}
	b, _, err := r.c.Git.CreateBlob(ctx, r.owner, r.name, &github.Blob{
		Content: github.String(base64.StdEncoding.EncodeToString(f.Data)), Encoding: github.String("base64"),
	})
	if err != nil {
		return nil, fmt.Errorf("create blob %s: %w", path, err)
	}
	e.SHA = b.SHA
	return e, nil
}

// CreateCommit implements GitHub. The App is author and committer, so
// GitHub signs the commit. A repeated request leaves an unreferenced
// commit behind, which is harmless.
func (r *Repo) CreateCommit(ctx context.Context, message, treeSHA, parent string) (string, error) {
	c, _, err := r.c.Git.CreateCommit(gh.ReplaySafe(r.bulk(ctx)), r.owner, r.name, &github.Commit{
		Message: github.String(message), Tree: &github.Tree{SHA: github.String(treeSHA)},
		Parents: []*github.Commit{{SHA: github.String(parent)}},
	}, nil)
	if err != nil {
		return "", err
	}
	return c.GetSHA(), nil
}

// CreateBranch implements GitHub.
func (r *Repo) CreateBranch(ctx context.Context, branch, sha string) error {
	_, _, err := r.c.Git.CreateRef(r.bulk(ctx), r.owner, r.name, &github.Reference{
		Ref: github.String("refs/heads/" + branch), Object: &github.GitObject{SHA: github.String(sha)},
	})
	return err
}

// ForceBranch implements GitHub; setting a ref to a SHA twice is the same
// as once, so it is safe to resend.
func (r *Repo) ForceBranch(ctx context.Context, branch, sha string) error {
	_, _, err := r.c.Git.UpdateRef(gh.ReplaySafe(r.bulk(ctx)), r.owner, r.name, &github.Reference{
		Ref: github.String("refs/heads/" + branch), Object: &github.GitObject{SHA: github.String(sha)},
	}, true)
	return err
}

// OpenPull implements GitHub.
func (r *Repo) OpenPull(ctx context.Context, p NewPull) (Pull, error) {
	pr, _, err := r.c.PullRequests.Create(r.bulk(ctx), r.owner, r.name, &github.NewPullRequest{
		Title: github.String(p.Title), Head: github.String(p.Head), Base: github.String(p.Base),
		Body: github.String(p.Body), Draft: github.Bool(p.Draft),
	})
	if err != nil {
		return Pull{}, err
	}
	return Pull{Number: pr.GetNumber(), URL: pr.GetHTMLURL(), Title: pr.GetTitle(), Body: pr.GetBody(), Open: true, HeadSHA: pr.GetHead().GetSHA()}, nil
}

// EditPull implements GitHub; the same edit twice is harmless.
func (r *Repo) EditPull(ctx context.Context, number int, title, body string) error {
	_, _, err := r.c.PullRequests.Edit(gh.ReplaySafe(r.bulk(ctx)), r.owner, r.name, number, &github.PullRequest{
		Title: github.String(title), Body: github.String(body),
	})
	return err
}

// AddLabels implements GitHub with the {"labels": [...]} body GitHub
// documents (go-github sends a bare array, which the description lacks).
// Adding a label twice is harmless.
func (r *Repo) AddLabels(ctx context.Context, number int, labels []string) error {
	u := fmt.Sprintf("repos/%s/%s/issues/%d/labels", r.owner, r.name, number)
	req, err := r.c.NewRequest(http.MethodPost, u, map[string][]string{"labels": labels})
	if err != nil {
		return err
	}
	_, err = r.c.Do(gh.ReplaySafe(r.bulk(ctx)), req, nil)
	return err
}

// Comments implements GitHub, following pagination.
func (r *Repo) Comments(ctx context.Context, number int) ([]string, error) {
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	var out []string
	for {
		cs, resp, err := r.c.Issues.ListComments(ctx, r.owner, r.name, number, opts)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			out = append(out, c.GetBody())
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// Comment implements GitHub.
func (r *Repo) Comment(ctx context.Context, number int, body string) error {
	_, _, err := r.c.Issues.CreateComment(r.bulk(ctx), r.owner, r.name, number, &github.IssueComment{Body: github.String(body)})
	return err
}
