package checkrun

import (
	"context"
	"time"

	"github.com/google/go-github/v62/github"
)

// GitHub adapts an installation's go-github client to API. appID, when
// positive, limits FindRun to the App's own runs.
func GitHub(c *github.Client, appID int64) API { return &githubAPI{c: c, appID: appID} }

// Clients gives an installation's go-github client; *gh.Apps is one.
type Clients interface {
	Installation(id int64) (*github.Client, error)
}

// Installations hands out the API of each installation.
type Installations interface {
	Checks(installation int64) (API, error)
}

// FromClients adapts Clients to Installations for the App appID.
func FromClients(c Clients, appID int64) Installations { return clientsAPIs{c: c, appID: appID} }

type clientsAPIs struct {
	c     Clients
	appID int64
}

func (a clientsAPIs) Checks(installation int64) (API, error) {
	c, err := a.c.Installation(installation)
	if err != nil {
		return nil, err
	}
	return GitHub(c, a.appID), nil
}

type githubAPI struct {
	c     *github.Client
	appID int64
}

func (g *githubAPI) FindRun(ctx context.Context, t Target) (*Run, error) {
	opts := &github.ListCheckRunsOptions{CheckName: github.String(t.Name), Filter: github.String("latest")}
	if g.appID > 0 {
		opts.AppID = github.Int64(g.appID)
	}
	runs, _, err := g.c.Checks.ListCheckRunsForRef(ctx, t.Owner, t.Repo, t.HeadSHA, opts)
	if err != nil {
		return nil, err
	}
	for _, r := range runs.CheckRuns {
		if r.GetName() == t.Name && r.GetHeadSHA() == t.HeadSHA {
			return &Run{ID: r.GetID(), Status: r.GetStatus(), AnnotationsCount: r.GetOutput().GetAnnotationsCount()}, nil
		}
	}
	return nil, nil
}

func (g *githubAPI) CreateRun(ctx context.Context, t Target, r RunRequest) (Run, error) {
	opts := github.CreateCheckRunOptions{Name: t.Name, HeadSHA: t.HeadSHA, Output: toOutput(r.Output)}
	opts.Status, opts.Conclusion = optional(r.Status), optional(string(r.Conclusion))
	opts.StartedAt, opts.CompletedAt = timestamp(r.StartedAt), timestamp(r.CompletedAt)
	run, _, err := g.c.Checks.CreateCheckRun(ctx, t.Owner, t.Repo, opts)
	if err != nil {
		return Run{}, err
	}
	return Run{ID: run.GetID(), Status: run.GetStatus(), AnnotationsCount: run.GetOutput().GetAnnotationsCount()}, nil
}

func (g *githubAPI) UpdateRun(ctx context.Context, t Target, id int64, r RunRequest) error {
	opts := github.UpdateCheckRunOptions{Name: t.Name, Output: toOutput(r.Output)}
	opts.Status, opts.Conclusion = optional(r.Status), optional(string(r.Conclusion))
	opts.CompletedAt = timestamp(r.CompletedAt)
	_, _, err := g.c.Checks.UpdateCheckRun(ctx, t.Owner, t.Repo, id, opts)
	return err
}

func (g *githubAPI) ListAnnotations(ctx context.Context, t Target, id int64) ([]Annotation, error) {
	var out []Annotation
	opts := &github.ListOptions{PerPage: 100}
	for {
		list, resp, err := g.c.Checks.ListCheckRunAnnotations(ctx, t.Owner, t.Repo, id, opts)
		if err != nil {
			return nil, err
		}
		for _, a := range list {
			out = append(out, fromAnnotation(a))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

func toOutput(o *RunOutput) *github.CheckRunOutput {
	if o == nil {
		return nil
	}
	out := &github.CheckRunOutput{Title: github.String(o.Title), Summary: github.String(o.Summary)}
	for _, a := range o.Annotations {
		out.Annotations = append(out.Annotations, toAnnotation(a))
	}
	return out
}

func toAnnotation(a Annotation) *github.CheckRunAnnotation {
	an := &github.CheckRunAnnotation{
		Path: github.String(a.Path), StartLine: github.Int(a.StartLine), EndLine: github.Int(max(a.EndLine, a.StartLine)),
		AnnotationLevel: github.String(string(a.Level)), Title: optional(a.Title), Message: github.String(a.Message),
		RawDetails: optional(a.RawDetails),
	}
	if a.StartColumn > 0 {
		an.StartColumn, an.EndColumn = github.Int(a.StartColumn), github.Int(max(a.EndColumn, a.StartColumn))
	}
	return an
}

func fromAnnotation(a *github.CheckRunAnnotation) Annotation {
	return Annotation{
		Path: a.GetPath(), StartLine: a.GetStartLine(), EndLine: a.GetEndLine(),
		StartColumn: a.GetStartColumn(), EndColumn: a.GetEndColumn(), Level: Level(a.GetAnnotationLevel()),
		Title: a.GetTitle(), Message: a.GetMessage(), RawDetails: a.GetRawDetails(),
	}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func timestamp(t time.Time) *github.Timestamp {
	if t.IsZero() {
		return nil
	}
	return &github.Timestamp{Time: t}
}
