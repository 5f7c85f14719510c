package catalogsync

import (
	"context"
	"fmt"
	"strings"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/checkrun"
)

// CheckName is the name of the check run that reports a sync that left
// entities unrecorded.
const CheckName = "portico / catalog sync"

// seeAll tells people how to see the findings a check run leaves out.
const seeAll = "Run `portico validate` in the repository to see every finding."

// WithChecks sets how the sync's check runs are published: the App's
// installations' checks API and the publisher's limits.
func (r *Runner) WithChecks(apis checkrun.Installations, cfg checkrun.Config) *Runner {
	r.checks, r.publish = apis, cfg
	return r
}

// postCheckRun reports what a sync could not record as a neutral check
// run on the commit: the push is already on the default branch, so it
// informs rather than blocks.
func (r *Runner) postCheckRun(ctx context.Context, a SyncArgs, res catalog.Result) (checkrun.Published, error) {
	api, err := r.checks.Checks(a.InstallationID)
	if err != nil {
		return checkrun.Published{}, err
	}
	t := checkrun.Target{Owner: a.Owner, Repo: a.Repo, HeadSHA: a.HeadSHA, Name: CheckName}
	return checkrun.New(api, r.publish).Publish(ctx, t, checkrun.Output{
		Title:       fmt.Sprintf("%d invalid, %d conflicting entities not recorded", len(res.Invalid), len(res.Conflicts)),
		Summary:     summarize(res),
		Conclusion:  checkrun.Neutral,
		Annotations: annotations(res),
		SeeAll:      seeAll,
	})
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
func annotations(res catalog.Result) []checkrun.Annotation {
	var out []checkrun.Annotation
	for _, inv := range res.Invalid {
		for _, f := range inv.Findings {
			line := max(f.Line, 1)
			out = append(out, checkrun.Annotation{
				Path: inv.SourcePath, StartLine: line, EndLine: line,
				Level: checkrun.Warning, Title: f.Rule, Message: f.Message,
			})
		}
	}
	return out
}
