package checks

import (
	"fmt"
	"strings"

	"github.com/portico-dev/portico/app/checkrun"
	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/report"
)

// entitiesBudget is the part of the 65,535-character summary the entity
// list may take; the findings table gets the rest.
const entitiesBudget = 8 << 10

// summaryReserve is the part of the summary kept for the publisher's
// note on annotations it leaves out.
const summaryReserve = 512

// output renders what the check run shows.
func (r *Runner) output(res *result) checkrun.Output {
	s := res.summary
	out := checkrun.Output{Conclusion: conclusion(s), Annotations: annotations(res.rules, res.files), SeeAll: seeAll}
	scored := scoreSection(res.scores)
	if res.scores != nil && len(res.scores.gate.below(res.scores)) > 0 {
		out.Conclusion = checkrun.Failed
	}
	switch {
	case s.Files == 0 && scored != "":
		out.Title = "No catalog descriptor changed; " + scoreTitle(res.scores)
		out.Summary = "This pull request changes no catalog descriptor (`catalog-info.yaml`, `*.catalog.yaml`), but it changes the repository that the scorecards judge.\n\n" +
			scored + skeletonNote(res.skeletons)
		return out
	case s.Files == 0:
		out.Title = "No catalog descriptor changed"
		out.Summary = "This pull request changes no catalog descriptor (`catalog-info.yaml`, `*.catalog.yaml`), so there is nothing for portico to check.\n" +
			skeletonNote(res.skeletons)
		return out
	case s.Errors == 0 && s.Warnings == 0:
		out.Title = fmt.Sprintf("%s valid", plural(s.Documents, "entity", "entities"))
	default:
		out.Title = fmt.Sprintf("%s, %s in %s", plural(s.Errors, "error", "errors"), plural(s.Warnings, "warning", "warnings"), plural(s.Files, "descriptor", "descriptors"))
	}
	entities := entityTable(res.files, entitiesBudget) + blastRadius(res) + scored
	md := report.NewMarkdownSummary(CheckName, checkrun.SummaryLimit-summaryReserve-len(entities)).WithRules(res.rules)
	for _, f := range res.files {
		md.Add(f)
	}
	out.Summary = entities + md.Render(s) + skeletonNote(res.skeletons)
	return out
}

// maxSkeletonsListed bounds the skeleton paths the summary names.
const maxSkeletonsListed = 10

// skeletonNote says which changed files were skipped as template
// skeletons, or "" when none were.
func skeletonNote(paths []string) string {
	if len(paths) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s skipped: template skeletons hold `${{ }}` expressions and become descriptors only once a template renders them.\n\n",
		plural(len(paths), "skeleton file", "skeleton files"))
	for i, p := range paths {
		if i == maxSkeletonsListed {
			fmt.Fprintf(&b, "- … and %d more\n", len(paths)-i)
			break
		}
		fmt.Fprintf(&b, "- `%s`\n", report.EscapeCell(p))
	}
	return b.String()
}

// blastRadius lists the catalog entities that depend on what the change
// declares (bounded by the catalog's renderer), or "" without a catalog.
func blastRadius(res *result) string {
	if res.catalog == nil {
		return ""
	}
	var changed []descriptor.Ref
	for _, f := range res.files {
		for _, d := range f.Documents {
			if d.Index > 0 && d.Kind != "" && d.Name != "" {
				changed = append(changed, descriptor.Ref{Kind: d.Kind, Namespace: d.Namespace, Name: d.Name})
			}
		}
	}
	return res.catalog.BlastRadius(changed) + "\n"
}

// entityTable lists the entities the change declares, within budget bytes.
func entityTable(files []*report.File, budget int) string {
	var b strings.Builder
	b.WriteString("### Entities in this change\n\n| Entity | File | Valid |\n| --- | --- | --- |\n")
	left := 0
	for _, f := range files {
		for _, d := range f.Documents {
			if d.Index == 0 {
				continue
			}
			row := entityRow(f.Path, d)
			if left > 0 || b.Len()+len(row)+64 > budget {
				left++
				continue
			}
			b.WriteString(row)
		}
	}
	if left > 0 {
		fmt.Fprintf(&b, "\n… and %d more entities.\n", left)
	}
	b.WriteString("\n")
	return b.String()
}

func entityRow(path string, d report.Document) string {
	name := "(unnamed)"
	if d.Name != "" {
		name = fmt.Sprintf("%s:%s/%s", strings.ToLower(d.Kind), d.Namespace, d.Name)
	}
	valid := "✅"
	if !d.Valid {
		valid = "❌"
	}
	return fmt.Sprintf("| %s | %s:%d | %s |\n", report.EscapeCell(name), report.EscapeCell(path), d.Line, valid)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
