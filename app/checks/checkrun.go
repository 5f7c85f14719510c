package checks

import (
	"context"
	"fmt"

	"github.com/google/go-github/v62/github"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/report"
)

// annotationsPerRequest is GitHub's cap on annotations in one request.
const annotationsPerRequest = 50

// startCheckRun marks portico's check of the head in progress: the run a
// previous attempt or a re-run made for this head is reused, so a head has
// one portico check however often it is checked.
func (r *Runner) startCheckRun(ctx context.Context, c *github.Client, a CheckArgs) (*github.CheckRun, error) {
	existing, err := r.findCheckRun(ctx, c, a)
	if err != nil {
		return nil, err
	}
	if existing != nil {
		run, _, err := c.Checks.UpdateCheckRun(ctx, a.Owner, a.Repo, existing.GetID(), github.UpdateCheckRunOptions{
			Name: CheckName, Status: github.String("in_progress"),
		})
		if err != nil {
			return nil, fmt.Errorf("update check run: %w", err)
		}
		return run, nil
	}
	return r.createCheckRun(ctx, c, a)
}

func (r *Runner) createCheckRun(ctx context.Context, c *github.Client, a CheckArgs) (*github.CheckRun, error) {
	run, _, err := c.Checks.CreateCheckRun(ctx, a.Owner, a.Repo, github.CreateCheckRunOptions{
		Name: CheckName, HeadSHA: a.HeadSHA, Status: github.String("in_progress"),
		StartedAt: &github.Timestamp{Time: r.now()},
	})
	if err != nil {
		return nil, fmt.Errorf("create check run: %w", err)
	}
	return run, nil
}

func (r *Runner) findCheckRun(ctx context.Context, c *github.Client, a CheckArgs) (*github.CheckRun, error) {
	opts := &github.ListCheckRunsOptions{CheckName: github.String(CheckName), Filter: github.String("latest")}
	if r.appID > 0 {
		opts.AppID = github.Int64(r.appID)
	}
	runs, _, err := c.Checks.ListCheckRunsForRef(ctx, a.Owner, a.Repo, a.HeadSHA, opts)
	if err != nil {
		return nil, fmt.Errorf("list check runs: %w", err)
	}
	for _, run := range runs.CheckRuns {
		if run.GetName() == CheckName && run.GetHeadSHA() == a.HeadSHA {
			return run, nil
		}
	}
	return nil, nil
}

// completeCheckRun posts the findings in batches of 50 annotations, then
// completes the run. GitHub appends annotations on every update, so those
// the run already has (from an earlier attempt) are not sent again. When
// the run has annotations that no longer hold (the central catalog or the
// platform's policies changed since), it cannot take them back: a new run
// for the head replaces it, as a re-run in GitHub Actions does.
func (r *Runner) completeCheckRun(ctx context.Context, c *github.Client, a CheckArgs, run *github.CheckRun, res *result) error {
	have, err := r.existingAnnotations(ctx, c, a, run)
	if err != nil {
		return err
	}
	all := annotations(res.files)
	if stale(have, all) {
		if run, err = r.replaceCheckRun(ctx, c, a, run); err != nil {
			return err
		}
		have = map[string]bool{}
	}
	var todo []*github.CheckRunAnnotation
	for _, an := range all {
		if !have[annotationKey(an)] {
			todo = append(todo, an)
		}
	}
	title, summary := r.output(res)
	for len(todo) > annotationsPerRequest {
		if err := r.updateOutput(ctx, c, a, run, title, summary, todo[:annotationsPerRequest], nil); err != nil {
			return err
		}
		todo = todo[annotationsPerRequest:]
	}
	return r.updateOutput(ctx, c, a, run, title, summary, todo, github.String(conclusion(res.summary)))
}

func (r *Runner) updateOutput(ctx context.Context, c *github.Client, a CheckArgs, run *github.CheckRun, title, summary string, batch []*github.CheckRunAnnotation, concl *string) error {
	opts := github.UpdateCheckRunOptions{
		Name:   CheckName,
		Output: &github.CheckRunOutput{Title: github.String(title), Summary: github.String(summary), Annotations: batch},
	}
	if concl != nil {
		opts.Status, opts.Conclusion = github.String("completed"), concl
		opts.CompletedAt = &github.Timestamp{Time: r.now()}
	}
	if _, _, err := c.Checks.UpdateCheckRun(ctx, a.Owner, a.Repo, run.GetID(), opts); err != nil {
		return fmt.Errorf("update check run: %w", err)
	}
	return nil
}

func (r *Runner) existingAnnotations(ctx context.Context, c *github.Client, a CheckArgs, run *github.CheckRun) (map[string]bool, error) {
	have := map[string]bool{}
	if run.GetOutput().GetAnnotationsCount() == 0 {
		return have, nil
	}
	opts := &github.ListOptions{PerPage: 100}
	for {
		list, resp, err := c.Checks.ListCheckRunAnnotations(ctx, a.Owner, a.Repo, run.GetID(), opts)
		if err != nil {
			return nil, fmt.Errorf("list annotations: %w", err)
		}
		for _, an := range list {
			have[annotationKey(an)] = true
		}
		if resp.NextPage == 0 {
			return have, nil
		}
		opts.Page = resp.NextPage
	}
}

// replaceCheckRun starts a new run for the head and completes old as
// superseded (neutral, so that it blocks nothing; the newest run of a name
// is the one GitHub shows and branch protection reads).
func (r *Runner) replaceCheckRun(ctx context.Context, c *github.Client, a CheckArgs, old *github.CheckRun) (*github.CheckRun, error) {
	run, err := r.createCheckRun(ctx, c, a)
	if err != nil {
		return nil, err
	}
	const why = "Superseded by a newer run of this check"
	summary := "The findings changed since this run (the central catalog or the platform's policies moved); a newer run of `" + CheckName + "` on this commit has them."
	if err := r.updateOutput(ctx, c, a, old, why, summary, nil, github.String("neutral")); err != nil {
		return nil, err
	}
	return run, nil
}

// stale reports whether a run has an annotation that is not among want.
func stale(have map[string]bool, want []*github.CheckRunAnnotation) bool {
	keep := make(map[string]bool, len(want))
	for _, an := range want {
		keep[annotationKey(an)] = true
	}
	for k := range have {
		if !keep[k] {
			return true
		}
	}
	return false
}

func annotationKey(a *github.CheckRunAnnotation) string {
	return fmt.Sprintf("%s\x00%d\x00%d\x00%s\x00%s", a.GetPath(), a.GetStartLine(), a.GetStartColumn(), a.GetTitle(), a.GetMessage())
}

// annotations turns findings into annotations at their exact position.
func annotations(files []*report.File) []*github.CheckRunAnnotation {
	var out []*github.CheckRunAnnotation
	for _, f := range files {
		for _, d := range f.Documents {
			for _, x := range d.Findings {
				out = append(out, annotation(f.Path, x))
			}
		}
	}
	return out
}

func annotation(path string, x descriptor.Finding) *github.CheckRunAnnotation {
	level := "warning"
	if x.Severity == descriptor.SeverityError {
		level = "failure"
	}
	line := max(x.Line, 1)
	an := &github.CheckRunAnnotation{
		Path: github.String(path), StartLine: github.Int(line), EndLine: github.Int(line),
		AnnotationLevel: github.String(level), Title: github.String(x.Rule), Message: github.String(x.Message),
	}
	if x.Column > 0 {
		an.StartColumn, an.EndColumn = github.Int(x.Column), github.Int(x.Column)
	}
	if url := report.RuleDocURL(x.Rule); url != "" {
		an.RawDetails = github.String("Rule documentation: " + url)
	}
	return an
}

// conclusion: errors fail the check, warnings alone make it neutral.
func conclusion(s report.Summary) string {
	switch {
	case s.Errors > 0:
		return "failure"
	case s.Warnings > 0:
		return "neutral"
	}
	return "success"
}
