package upgrade

import (
	"fmt"
	"strings"

	"github.com/portico-dev/portico/app/templating/merge"
	"github.com/portico-dev/portico/app/templating/plan"
)

// Changes are the template's changes between the repository's version and
// the new one, as the pull request quotes them.
type Changes struct {
	// Changelog holds the sections of the CHANGELOG.md beside
	// template.yaml for the versions in (from, to].
	Changelog string
	// Subjects are the platform repository's commit subjects touching the
	// template's folder, newest first, when there is no changelog.
	Subjects []string
}

// Bounds that keep a body under GitHub's 65,536 characters.
const (
	maxRows     = 200
	maxBodySize = 60000
)

// Body is the pull request's Markdown: the conflicts and how to resolve
// them, the files changed, added and deleted, the files kept with their
// reasons, and the template's changes.
func Body(p *plan.Plan, ch Changes) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Upgrades this repository from version **%s** to **%s** of the `%s` template. "+
		"The template's changes are merged three ways with the changes made here since it was generated: "+
		"nothing of this repository's own is overwritten.\n", p.From, p.To, p.Template)
	conflicts := p.Merge.Conflicts()
	if len(conflicts) > 0 {
		writeConflicts(&b, p, conflicts)
	}
	writeFiles(&b, p.Merge.Changed())
	if kept := p.Merge.Kept(); len(kept) > 0 {
		b.WriteString("\n## Kept as they are\n\nThe template changed these, but this repository's own change wins:\n\n")
		writeTable(&b, "Reason", kept, func(f merge.FileReport) string { return f.Reason })
	}
	writeChanges(&b, p, ch)
	return truncateUTF8(b.String(), maxBodySize)
}

func writeConflicts(b *strings.Builder, p *plan.Plan, conflicts []merge.FileReport) {
	n := 0
	for _, f := range conflicts {
		n += max(f.Conflicts, 1)
	}
	fmt.Fprintf(b, "\n> [!WARNING]\n> %s in %s to resolve: this pull request is a draft until they are.\n",
		plural(n, "conflict"), plural(len(conflicts), "file"))
	b.WriteString("\n## Conflicts\n\n")
	writeTable(b, "Why", conflicts, func(f merge.FileReport) string { return f.Reason })
	fmt.Fprintf(b, "\n**How to resolve.** Check out this branch (`git fetch origin %[1]s && git switch %[1]s`). "+
		"In each file above, text conflicts are marked inline: keep what you need between "+
		"`<<<<<<< repository` and `>>>>>>> template %[2]s`, delete the markers, and commit. "+
		"A conflict on a whole file (binary, symlink, executable bit) kept this repository's file: "+
		"replace it with the template's if you want it. Push, then mark this pull request ready for review. "+
		"Once a person has pushed to this branch portico no longer overwrites it: "+
		"a newer template version is announced in a comment instead.\n", BranchPrefix+p.Template, p.To)
}

func writeFiles(b *strings.Builder, changed []merge.FileReport) {
	var files []merge.FileReport
	for _, f := range changed {
		if f.Outcome != merge.Kept && f.Outcome != merge.Conflict {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		return
	}
	b.WriteString("\n## Files\n\n")
	writeTable(b, "Change", files, func(f merge.FileReport) string {
		if f.Reason != "" && f.Outcome == merge.Updated {
			return string(f.Outcome) + ": " + f.Reason
		}
		return string(f.Outcome)
	})
}

func writeChanges(b *strings.Builder, p *plan.Plan, ch Changes) {
	fmt.Fprintf(b, "\n## What changed in the template from %s to %s\n\n", p.From, p.To)
	switch {
	case ch.Changelog != "":
		b.WriteString(ch.Changelog + "\n")
	case len(ch.Subjects) > 0:
		for i, s := range ch.Subjects {
			if i == maxRows {
				fmt.Fprintf(b, "- … and %d more\n", len(ch.Subjects)-i)
				break
			}
			fmt.Fprintf(b, "- %s\n", cell(s))
		}
	default:
		fmt.Fprintf(b, "The template has no %s and the platform repository lists no commits for it.\n", ChangelogFile)
	}
}

func writeTable(b *strings.Builder, column string, files []merge.FileReport, text func(merge.FileReport) string) {
	fmt.Fprintf(b, "| File | %s |\n| --- | --- |\n", column)
	for i, f := range files {
		if i == maxRows {
			fmt.Fprintf(b, "\n… and %s more.\n", plural(len(files)-i, "file"))
			return
		}
		fmt.Fprintf(b, "| `%s` | %s |\n", strings.ReplaceAll(cell(f.Path), "`", "'"), cell(text(f)))
	}
}

// cell makes text fit in one Markdown table cell or list item.
func cell(s string) string {
	s = strings.NewReplacer("\r", " ", "\n", " ", "|", `\|`).Replace(s)
	return truncateUTF8(s, 500)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
