package githubtest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"
)

func TestPullRequest(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	head, err := f.srv.Commit("octo-org", "hello", "feature", Files{
		"catalog-info.yaml": Text("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: hello2\n"),
		"README.md":         nil,
		"new.yaml":          Text("x: 1\n"),
	}, "change")
	must(t, err)
	pr, err := f.srv.OpenPullRequest("octo-org", "hello", "feature", "main", "Change things", WithBody("why"))
	must(t, err)
	if pr.Number != 1 || pr.HeadSHA != head || pr.BaseSHA != f.sha {
		t.Errorf("pull request = %+v", pr)
	}
	got, _, err := f.client.PullRequests.Get(ctx, "octo-org", "hello", pr.Number)
	must(t, err)
	if got.GetHead().GetSHA() != head || got.GetBase().GetRef() != "main" || got.GetChangedFiles() != 3 || got.GetCommits() != 1 || got.GetBody() != "why" {
		t.Errorf("pull = head %s base %s files %d commits %d", got.GetHead().GetSHA(), got.GetBase().GetRef(), got.GetChangedFiles(), got.GetCommits())
	}
	files, _, err := f.client.PullRequests.ListFiles(ctx, "octo-org", "hello", pr.Number, nil)
	must(t, err)
	statuses := map[string]string{}
	for _, fl := range files {
		statuses[fl.GetFilename()] = fl.GetStatus()
	}
	want := map[string]string{"catalog-info.yaml": "modified", "README.md": "removed", "new.yaml": "added"}
	if fmt.Sprint(statuses) != fmt.Sprint(want) {
		t.Errorf("files = %v, want %v", statuses, want)
	}
	opened := f.hooks.find("pull_request", "opened")
	if len(opened) != 1 || opened[0].payload["number"] != float64(1) {
		t.Fatalf("pull_request.opened deliveries: %d", len(opened))
	}
	pull := opened[0].payload["pull_request"].(map[string]any)
	if pull["head"].(map[string]any)["sha"] != head || opened[0].payload["installation"].(map[string]any)["id"] != float64(f.inst) {
		t.Errorf("opened payload = %v", pull["head"])
	}
}

func TestPullRequestFilesPagination(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	files := Files{}
	for i := range 7 {
		files[fmt.Sprintf("f%d.txt", i)] = Text("x\n")
	}
	_, err := f.srv.Commit("octo-org", "hello", "many", files, "many files")
	must(t, err)
	pr, err := f.srv.OpenPullRequest("octo-org", "hello", "many", "main", "many")
	must(t, err)
	var names []string
	opts := &github.ListOptions{PerPage: 3}
	var links []string
	for {
		page, resp, err := f.client.PullRequests.ListFiles(t.Context(), "octo-org", "hello", pr.Number, opts)
		must(t, err)
		links = append(links, resp.Header.Get("Link"))
		for _, fl := range page {
			names = append(names, fl.GetFilename())
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	if len(names) != 7 || !slices.IsSorted(names) {
		t.Errorf("files = %v", names)
	}
	base := f.srv.URL() + "/repos/octo-org/hello/pulls/1/files"
	want := []string{
		fmt.Sprintf(`<%s?page=2&per_page=3>; rel="next", <%[1]s?page=3&per_page=3>; rel="last"`, base),
		fmt.Sprintf(`<%s?page=1&per_page=3>; rel="prev", <%[1]s?page=3&per_page=3>; rel="next", <%[1]s?page=3&per_page=3>; rel="last", <%[1]s?page=1&per_page=3>; rel="first"`, base),
		fmt.Sprintf(`<%s?page=2&per_page=3>; rel="prev", <%[1]s?page=1&per_page=3>; rel="first"`, base),
	}
	if !slices.Equal(links, want) {
		t.Errorf("links =\n%s\nwant\n%s", strings.Join(links, "\n"), strings.Join(want, "\n"))
	}
}

func TestRenamesAndPerPageCap(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	content := strings.Repeat("line\n", 20)
	_, err := f.srv.Commit("octo-org", "hello", "main", Files{"old/name.yaml": Text(content)}, "add")
	must(t, err)
	_, err = f.srv.Commit("octo-org", "hello", "move", Files{"old/name.yaml": nil, "new/name.yaml": Text(content + "one more\n")}, "move")
	must(t, err)
	pr, err := f.srv.OpenPullRequest("octo-org", "hello", "move", "main", "move")
	must(t, err)
	files, resp, err := f.client.PullRequests.ListFiles(t.Context(), "octo-org", "hello", pr.Number, &github.ListOptions{PerPage: 500})
	must(t, err)
	if len(files) != 1 || files[0].GetStatus() != "renamed" || files[0].GetPreviousFilename() != "old/name.yaml" || files[0].GetAdditions() != 1 {
		t.Errorf("files = %v", files)
	}
	if resp.Header.Get("Link") != "" {
		t.Errorf("one page has links: %s", resp.Header.Get("Link"))
	}
}

func TestSynchronizeAndStateChanges(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, err := f.srv.Commit("octo-org", "hello", "feature", Files{"a.yaml": Text("a: 1\n")}, "a")
	must(t, err)
	pr, err := f.srv.OpenPullRequest("octo-org", "hello", "feature", "main", "draft", AsDraft())
	must(t, err)
	sha, err := f.srv.PushToPullRequest("octo-org", "hello", pr.Number, Files{"b.yaml": Text("b: 1\n")}, "b")
	must(t, err)
	sync := f.hooks.find("pull_request", "synchronize")
	if len(sync) != 1 || sync[0].payload["after"] != sha || sync[0].payload["before"] != pr.HeadSHA {
		t.Fatalf("synchronize deliveries = %v", sync)
	}
	if push := f.hooks.find("push", ""); len(push) != 2 || push[1].payload["ref"] != "refs/heads/feature" {
		t.Errorf("push deliveries = %d", len(push))
	}
	must(t, f.srv.MarkReadyForReview("octo-org", "hello", pr.Number))
	must(t, f.srv.ClosePullRequest("octo-org", "hello", pr.Number))
	must(t, f.srv.ReopenPullRequest("octo-org", "hello", pr.Number))
	for _, action := range []string{"ready_for_review", "closed", "reopened"} {
		if len(f.hooks.find("pull_request", action)) != 1 {
			t.Errorf("no pull_request.%s", action)
		}
	}
	if err := f.srv.MarkReadyForReview("octo-org", "hello", pr.Number); err == nil {
		t.Error("ready for review twice")
	}
	got, _, err := f.client.PullRequests.Get(t.Context(), "octo-org", "hello", pr.Number)
	must(t, err)
	if got.GetHead().GetSHA() != sha || got.GetDraft() || got.GetState() != "open" {
		t.Errorf("pull = %s draft=%v %s", got.GetHead().GetSHA(), got.GetDraft(), got.GetState())
	}
}

func TestPullRequestFromFork(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	must(t, f.srv.CreateFork("octo-org", "hello", "contributor"))
	head, err := f.srv.Commit("contributor", "hello", "patch", Files{"catalog-info.yaml": Text("kind: Component\n")}, "fork change")
	must(t, err)
	pr, err := f.srv.OpenPullRequest("octo-org", "hello", "contributor:patch", "main", "from a fork")
	must(t, err)
	got, _, err := f.client.PullRequests.Get(t.Context(), "octo-org", "hello", pr.Number)
	must(t, err)
	if got.GetHead().GetRepo().GetFullName() != "contributor/hello" || got.GetHead().GetSHA() != head {
		t.Errorf("head = %s %s", got.GetHead().GetRepo().GetFullName(), got.GetHead().GetSHA())
	}
	file, _, _, err := f.client.Repositories.GetContents(t.Context(), "octo-org", "hello", "catalog-info.yaml", &github.RepositoryContentGetOptions{Ref: head})
	must(t, err)
	if c, _ := file.GetContent(); c != "kind: Component\n" {
		t.Errorf("fork's file read through the base repository = %q", c)
	}
	next, err := f.srv.PushToPullRequest("octo-org", "hello", pr.Number, Files{"x": Text("x")}, "more")
	must(t, err)
	if sync := f.hooks.find("pull_request", "synchronize"); len(sync) != 1 || sync[0].payload["after"] != next {
		t.Errorf("synchronize from fork = %v", sync)
	}
	if _, _, err := f.client.PullRequests.Get(t.Context(), "octo-org", "hello", 99); status(err) != http.StatusNotFound {
		t.Errorf("missing pull request: %v", err)
	}
}

// TestPullsForCommit lists the pull requests holding a commit: open and
// closed ones, into any base, from a fork too, a page at a time.
func TestPullsForCommit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	x, err := f.srv.Commit("octo-org", "hello", "feature", Files{"x": Text("x")}, "x")
	must(t, err)
	for _, base := range []string{"base1", "base2"} {
		_, err := f.srv.Commit("octo-org", "hello", base, Files{base: Text(base)}, base)
		must(t, err)
	}
	var numbers []int
	for _, base := range []string{"main", "base1", "base2"} {
		pr, err := f.srv.OpenPullRequest("octo-org", "hello", "feature", base, "into "+base)
		must(t, err)
		numbers = append(numbers, pr.Number)
	}
	must(t, f.srv.ClosePullRequest("octo-org", "hello", numbers[1]))
	y, err := f.srv.Commit("octo-org", "hello", "feature", Files{"y": Text("y")}, "y")
	must(t, err)
	must(t, f.srv.CreateFork("octo-org", "hello", "contributor"))
	forkHead, err := f.srv.Commit("contributor", "hello", "patch", Files{"z": Text("z")}, "from a fork")
	must(t, err)
	fork, err := f.srv.OpenPullRequest("octo-org", "hello", "contributor:patch", "main", "from a fork")
	must(t, err)

	list := func(sha string, per int) ([]*github.PullRequest, []string) {
		var all []*github.PullRequest
		var links []string
		opts := &github.ListOptions{PerPage: per}
		for {
			page, resp, err := f.client.PullRequests.ListPullRequestsWithCommit(ctx, "octo-org", "hello", sha, opts)
			must(t, err)
			all, links = append(all, page...), append(links, resp.Header.Get("Link"))
			if resp.NextPage == 0 {
				return all, links
			}
			opts.Page = resp.NextPage
		}
	}
	describe := func(prs []*github.PullRequest) string {
		var b strings.Builder
		for _, p := range prs {
			fmt.Fprintf(&b, "#%d %s %s %s->%s; ", p.GetNumber(), p.GetState(), p.GetHead().GetSHA()[:7], p.GetHead().GetRepo().GetFullName(), p.GetBase().GetRef())
		}
		return b.String()
	}
	cases := []struct {
		name, sha string
		per       int
		want      string
		pages     int
	}{
		{"a commit among the heads' history, a page of two", x, 2,
			fmt.Sprintf("#1 open %s octo-org/hello->main; #2 closed %s octo-org/hello->base1; #3 open %s octo-org/hello->base2; ", y[:7], x[:7], y[:7]), 2},
		{"the heads of the open ones", y, 30, fmt.Sprintf("#1 open %s octo-org/hello->main; #3 open %s octo-org/hello->base2; ", y[:7], y[:7]), 1},
		{"a branch name", "feature", 30, fmt.Sprintf("#1 open %s octo-org/hello->main; #3 open %s octo-org/hello->base2; ", y[:7], y[:7]), 1},
		{"a fork's head", forkHead, 30, fmt.Sprintf("#%d open %s contributor/hello->main; ", fork.Number, forkHead[:7]), 1},
		{"a commit on the default branch, merged by no pull request", f.sha, 30, "", 1},
	}
	for _, tc := range cases {
		got, links := list(tc.sha, tc.per)
		if describe(got) != tc.want || len(links) != tc.pages {
			t.Errorf("%s: %d pages of\n%s\nwant %d of\n%s", tc.name, len(links), describe(got), tc.pages, tc.want)
		}
	}
	_, _, err = f.client.PullRequests.ListPullRequestsWithCommit(ctx, "octo-org", "hello", strings.Repeat("0", 40), nil)
	if status(err) != http.StatusUnprocessableEntity {
		t.Errorf("unknown commit: %v, want 422", err)
	}
}
