package githubtest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"
)

func annotations(n int) []*github.CheckRunAnnotation {
	out := make([]*github.CheckRunAnnotation, n)
	for i := range out {
		out[i] = &github.CheckRunAnnotation{
			Path: github.String("catalog-info.yaml"), StartLine: github.Int(i + 1), EndLine: github.Int(i + 1),
			AnnotationLevel: github.String("failure"), Message: github.String(fmt.Sprintf("finding %d", i)),
		}
	}
	return out
}

func TestCheckRunLifecycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	run, _, err := f.client.Checks.CreateCheckRun(ctx, "octo-org", "hello", github.CreateCheckRunOptions{
		Name: "portico / catalog", HeadSHA: f.sha, Status: github.String("in_progress"),
	})
	must(t, err)
	if run.GetStatus() != "in_progress" || run.GetApp().GetID() != f.app.ID || run.GetCheckSuite().GetID() == 0 {
		t.Errorf("created = %s app %d", run.GetStatus(), run.GetApp().GetID())
	}
	for _, batch := range [][]*github.CheckRunAnnotation{annotations(50), annotations(20)} {
		_, _, err = f.client.Checks.UpdateCheckRun(ctx, "octo-org", "hello", run.GetID(), github.UpdateCheckRunOptions{
			Name:   "portico / catalog",
			Output: &github.CheckRunOutput{Title: github.String("2 findings"), Summary: github.String("## Summary"), Annotations: batch},
		})
		must(t, err)
	}
	done, _, err := f.client.Checks.UpdateCheckRun(ctx, "octo-org", "hello", run.GetID(), github.UpdateCheckRunOptions{
		Name: "portico / catalog", Conclusion: github.String("failure"),
	})
	must(t, err)
	if done.GetStatus() != "completed" || done.GetConclusion() != "failure" || done.GetOutput().GetAnnotationsCount() != 70 {
		t.Errorf("completed = %s %s with %d annotations", done.GetStatus(), done.GetConclusion(), done.GetOutput().GetAnnotationsCount())
	}
	runs := f.srv.CheckRuns("octo-org", "hello", f.sha)
	if len(runs) != 1 || len(runs[0].Annotations) != 70 || runs[0].Summary != "## Summary" || runs[0].Requests != 4 {
		t.Fatalf("state = %+v", runs)
	}
	var listed []*github.CheckRunAnnotation
	opts := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := f.client.Checks.ListCheckRunAnnotations(ctx, "octo-org", "hello", run.GetID(), opts)
		must(t, err)
		listed = append(listed, page...)
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	if len(listed) != 70 || listed[69].GetMessage() != "finding 19" {
		t.Errorf("listed %d annotations", len(listed))
	}
	got, _, err := f.client.Checks.GetCheckRun(ctx, "octo-org", "hello", run.GetID())
	must(t, err)
	if got.GetOutput().GetTitle() != "2 findings" {
		t.Errorf("title = %q", got.GetOutput().GetTitle())
	}
}

func TestCheckRunLimits(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	long := strings.Repeat("x", maxOutputChars+1)
	col := 3
	cases := []struct {
		name      string
		opts      github.CreateCheckRunOptions
		violation bool // the description itself refuses it
	}{
		{"51 annotations", github.CreateCheckRunOptions{Name: "c", HeadSHA: f.sha, Output: &github.CheckRunOutput{
			Title: github.String("t"), Summary: github.String("s"), Annotations: annotations(51)}}, true},
		{"summary too long", github.CreateCheckRunOptions{Name: "c", HeadSHA: f.sha, Output: &github.CheckRunOutput{
			Title: github.String("t"), Summary: github.String(long)}}, true},
		{"text too long", github.CreateCheckRunOptions{Name: "c", HeadSHA: f.sha, Output: &github.CheckRunOutput{
			Title: github.String("t"), Summary: github.String("s"), Text: github.String(long)}}, true},
		{"columns across lines", github.CreateCheckRunOptions{Name: "c", HeadSHA: f.sha, Output: &github.CheckRunOutput{
			Title: github.String("t"), Summary: github.String("s"), Annotations: []*github.CheckRunAnnotation{{
				Path: github.String("a"), StartLine: github.Int(1), EndLine: github.Int(2), StartColumn: &col, EndColumn: &col,
				AnnotationLevel: github.String("warning"), Message: github.String("m")}}}}, false},
		{"completed without conclusion", github.CreateCheckRunOptions{Name: "c", HeadSHA: f.sha, Status: github.String("completed")}, false},
		{"unknown commit", github.CreateCheckRunOptions{Name: "c", HeadSHA: strings.Repeat("a", 40)}, false},
		{"branch instead of a SHA", github.CreateCheckRunOptions{Name: "c", HeadSHA: "main"}, false},
	}
	for _, tc := range cases {
		_, _, err := f.client.Checks.CreateCheckRun(ctx, "octo-org", "hello", tc.opts)
		if status(err) != http.StatusUnprocessableEntity {
			t.Errorf("%s: %v, want 422", tc.name, err)
		}
		if got := len(f.srv.Violations()) > 0; got != tc.violation {
			t.Errorf("%s: violation recorded = %v, want %v", tc.name, got, tc.violation)
		}
		f.srv.ResetViolations()
	}
	if n := len(f.srv.CheckRuns("octo-org", "hello", "")); n != 0 {
		t.Errorf("%d check runs created by refused requests", n)
	}
}

func TestListCheckRunsForRef(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	for _, name := range []string{"portico / catalog", "portico / catalog", "other"} {
		_, _, err := f.client.Checks.CreateCheckRun(ctx, "octo-org", "hello", github.CreateCheckRunOptions{Name: name, HeadSHA: f.sha})
		must(t, err)
	}
	latest, _, err := f.client.Checks.ListCheckRunsForRef(ctx, "octo-org", "hello", "main", &github.ListCheckRunsOptions{CheckName: github.String("portico / catalog")})
	must(t, err)
	if latest.GetTotal() != 1 {
		t.Errorf("latest runs named portico / catalog = %d, want 1", latest.GetTotal())
	}
	all, _, err := f.client.Checks.ListCheckRunsForRef(ctx, "octo-org", "hello", f.sha, &github.ListCheckRunsOptions{Filter: github.String("all")})
	must(t, err)
	if all.GetTotal() != 3 || all.CheckRuns[0].GetID() < all.CheckRuns[2].GetID() {
		t.Errorf("all runs = %d, newest first?", all.GetTotal())
	}
}

func TestCheckPullRequestsAndRerequests(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	head, err := f.srv.Commit("octo-org", "hello", "feature", Files{"a": Text("a")}, "a")
	must(t, err)
	pr, err := f.srv.OpenPullRequest("octo-org", "hello", "feature", "main", "pr")
	must(t, err)
	run, _, err := f.client.Checks.CreateCheckRun(ctx, "octo-org", "hello", github.CreateCheckRunOptions{Name: "c", HeadSHA: head})
	must(t, err)
	if len(run.PullRequests) != 1 || run.PullRequests[0].GetNumber() != pr.Number {
		t.Errorf("check run pull requests = %v", run.PullRequests)
	}
	must(t, f.srv.RerequestCheckSuite("octo-org", "hello", head))
	must(t, f.srv.RerequestCheckRun("octo-org", "hello", run.GetID()))
	suites := f.hooks.find("check_suite", "rerequested")
	if len(suites) != 1 {
		t.Fatalf("check_suite.rerequested deliveries = %d", len(suites))
	}
	cs := suites[0].payload["check_suite"].(map[string]any)
	if cs["head_sha"] != head || cs["head_branch"] != "feature" || cs["id"] != float64(run.GetCheckSuite().GetID()) {
		t.Errorf("check_suite = %v %v %v", cs["head_sha"], cs["head_branch"], cs["id"])
	}
	runs := f.hooks.find("check_run", "rerequested")
	if len(runs) != 1 || runs[0].payload["check_run"].(map[string]any)["id"] != float64(run.GetID()) {
		t.Errorf("check_run.rerequested deliveries = %v", runs)
	}
}
