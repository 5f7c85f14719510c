package githubtest

import (
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-github/v62/github"
)

// branchWith puts a commit on a new branch through the Git Data API.
func branchWith(t *testing.T, f *fixture, branch, file string) string {
	t.Helper()
	c := commitOnBranch(t, f, f.sha, []*github.TreeEntry{blobEntry(file, "100644", file+"\n")}, "add "+file)
	_, _, err := f.client.Git.CreateRef(t.Context(), "octo-org", "hello", &github.Reference{
		Ref: github.String("refs/heads/" + branch), Object: &github.GitObject{SHA: c.SHA},
	})
	must(t, err)
	return c.GetSHA()
}

// An App opens a draft pull request, finds it by head and state, edits
// its title and body, labels it (creating the label) and closes it: each
// as GitHub answers and with the webhooks GitHub sends.
func TestPullRequestWrites(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	head := branchWith(t, f, "portico/template/svc", "new.txt")
	pr, _, err := f.client.PullRequests.Create(ctx, "octo-org", "hello", &github.NewPullRequest{
		Title: github.String("Upgrade svc template from 1.0.0 to 1.1.0"), Head: github.String("portico/template/svc"),
		Base: github.String("main"), Body: github.String("body"), Draft: github.Bool(true),
	})
	must(t, err)
	if !pr.GetDraft() || pr.GetHead().GetSHA() != head || pr.GetUser().GetLogin() != f.app.Slug+"[bot]" {
		t.Errorf("created %+v, want a draft at %s by the App", pr, head)
	}
	_, _, err = f.client.PullRequests.Create(ctx, "octo-org", "hello", &github.NewPullRequest{
		Title: github.String("again"), Head: github.String("octo-org:portico/template/svc"), Base: github.String("main"),
	})
	if status(err) != http.StatusUnprocessableEntity {
		t.Errorf("a second open pull request from the same head: %v, want 422", err)
	}

	list := func(opts *github.PullRequestListOptions) []int {
		t.Helper()
		prs, _, err := f.client.PullRequests.List(ctx, "octo-org", "hello", opts)
		must(t, err)
		var n []int
		for _, p := range prs {
			n = append(n, p.GetNumber())
		}
		return n
	}
	if got := list(&github.PullRequestListOptions{Head: "octo-org:portico/template/svc"}); !slices.Equal(got, []int{pr.GetNumber()}) {
		t.Errorf("open pull requests from the head: %v", got)
	}
	if got := list(&github.PullRequestListOptions{Head: "octo-org:other"}); len(got) != 0 {
		t.Errorf("pull requests from another head: %v", got)
	}

	edited, _, err := f.client.PullRequests.Edit(ctx, "octo-org", "hello", pr.GetNumber(), &github.PullRequest{
		Title: github.String("Upgrade svc template from 1.0.0 to 1.2.0"), Body: github.String("new body"),
	})
	must(t, err)
	if edited.GetTitle() != "Upgrade svc template from 1.0.0 to 1.2.0" || edited.GetBody() != "new body" || !edited.GetDraft() {
		t.Errorf("edited %q %q draft %v", edited.GetTitle(), edited.GetBody(), edited.GetDraft())
	}

	req, err := f.client.NewRequest("POST", "repos/octo-org/hello/issues/"+strconv.Itoa(pr.GetNumber())+"/labels", map[string][]string{"labels": {"portico", "template-upgrade"}})
	must(t, err)
	var labels []*github.Label
	_, err = f.client.Do(ctx, req, &labels)
	must(t, err)
	if len(labels) != 2 || labels[0].GetColor() != labelColor {
		t.Errorf("labels %v, want two created with GitHub's default color", labels)
	}
	if got := f.srv.Labels("octo-org", "hello", pr.GetNumber()); !slices.Equal(got, []string{"portico", "template-upgrade"}) {
		t.Errorf("Labels = %v", got)
	}

	_, _, err = f.client.PullRequests.Edit(ctx, "octo-org", "hello", pr.GetNumber(), &github.PullRequest{State: github.String("closed")})
	must(t, err)
	if got := list(&github.PullRequestListOptions{Head: "octo-org:portico/template/svc"}); len(got) != 0 {
		t.Errorf("open pull requests after closing: %v", got)
	}
	closed := list(&github.PullRequestListOptions{Head: "octo-org:portico/template/svc", State: "closed"})
	all := list(&github.PullRequestListOptions{State: "all"})
	if !slices.Equal(closed, []int{pr.GetNumber()}) || !slices.Equal(all, []int{pr.GetNumber()}) {
		t.Errorf("closed %v, all %v", closed, all)
	}
	f.srv.WaitDeliveries()
	for _, action := range []string{"opened", "edited", "closed"} {
		if n := len(f.hooks.find("pull_request", action)); n != 1 {
			t.Errorf("%d pull_request.%s deliveries, want 1", n, action)
		}
	}
}

// The newest pull request comes first, as GitHub lists them.
func TestListPullsNewestFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	var numbers []int
	for _, b := range []string{"a", "b"} {
		branchWith(t, f, b, b+".txt")
		pr, _, err := f.client.PullRequests.Create(ctx, "octo-org", "hello", &github.NewPullRequest{
			Title: github.String(b), Head: github.String(b), Base: github.String("main"),
		})
		must(t, err)
		numbers = append(numbers, pr.GetNumber())
	}
	prs, _, err := f.client.PullRequests.List(ctx, "octo-org", "hello", nil)
	must(t, err)
	if len(prs) != 2 || prs[0].GetNumber() != numbers[1] {
		t.Errorf("listed %d, first #%d, want #%d first", len(prs), prs[0].GetNumber(), numbers[1])
	}
	if _, _, err := f.client.PullRequests.Create(ctx, "octo-org", "hello", &github.NewPullRequest{
		Title: github.String("nothing"), Head: github.String("main"), Base: github.String("main"),
	}); status(err) != http.StatusUnprocessableEntity {
		t.Errorf("a pull request without commits: %v, want 422", err)
	}
}
