package catalogsync

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/portico-dev/portico/app/catalog"
)

// CheckName is the name of the check run that reports a sync that left
// entities unrecorded.
const CheckName = "portico / catalog sync"

// annotationsPerRequest is GitHub's cap on annotations in one request.
const annotationsPerRequest = 50

// postCheckRun reports what a sync could not record as a neutral check
// run on the commit: the push is already on the default branch, so it
// informs rather than blocks.
func postCheckRun(ctx context.Context, c *github.Client, a SyncArgs, res catalog.Result, now time.Time) error {
	title := fmt.Sprintf("%d invalid, %d conflicting entities not recorded", len(res.Invalid), len(res.Conflicts))
	summary := summarize(res)
	anns := annotations(res)
	first := anns[:min(len(anns), annotationsPerRequest)]
	run, _, err := c.Checks.CreateCheckRun(ctx, a.Owner, a.Repo, github.CreateCheckRunOptions{
		Name: CheckName, HeadSHA: a.HeadSHA, Status: github.String("completed"),
		Conclusion: github.String("neutral"), CompletedAt: &github.Timestamp{Time: now},
		Output: &github.CheckRunOutput{Title: &title, Summary: &summary, Annotations: first},
	})
	if err != nil {
		return fmt.Errorf("create check run: %w", err)
	}
	for rest := anns[len(first):]; len(rest) > 0; {
		batch := rest[:min(len(rest), annotationsPerRequest)]
		rest = rest[len(batch):]
		_, _, err := c.Checks.UpdateCheckRun(ctx, a.Owner, a.Repo, run.GetID(), github.UpdateCheckRunOptions{
			Name: CheckName, Output: &github.CheckRunOutput{Title: &title, Summary: &summary, Annotations: batch},
		})
		if err != nil {
			return fmt.Errorf("update check run: %w", err)
		}
	}
	return nil
}

// summarize lists the entities not recorded, with their source files and
// first finding.
func summarize(res catalog.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The catalog recorded this commit (%s); these entities were not recorded, and what the catalog held for them stays.\n", res.Summary())
	if len(res.Invalid) > 0 {
		b.WriteString("\n### Invalid\n\n")
		for _, inv := range res.Invalid {
			fmt.Fprintf(&b, "- `%s` %s", inv.SourcePath, nameOr(inv.Entity))
			if len(inv.Findings) > 0 {
				f := inv.Findings[0]
				fmt.Fprintf(&b, ": line %d: %s (%s)", f.Line, f.Message, f.Rule)
			}
			b.WriteString("\n")
		}
	}
	if len(res.Conflicts) > 0 {
		b.WriteString("\n### Conflicts\n\n")
		for _, c := range res.Conflicts {
			fmt.Fprintf(&b, "- `%s` %s is already declared by %s\n", c.SourcePath, nameOr(c.Entity), c.Owner)
		}
	}
	return b.String()
}

func nameOr(ref string) string {
	if ref == "" {
		return "(unnamed entity)"
	}
	return "`" + ref + "`"
}

// annotations places every finding of the invalid entities at its line.
func annotations(res catalog.Result) []*github.CheckRunAnnotation {
	var out []*github.CheckRunAnnotation
	for _, inv := range res.Invalid {
		for _, f := range inv.Findings {
			line := max(f.Line, 1)
			out = append(out, &github.CheckRunAnnotation{
				Path: github.String(inv.SourcePath), StartLine: github.Int(line), EndLine: github.Int(line),
				AnnotationLevel: github.String("warning"), Title: github.String(f.Rule), Message: github.String(f.Message),
			})
		}
	}
	return out
}
