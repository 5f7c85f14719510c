package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"text/tabwriter"

	"github.com/Masterminds/semver/v3"

	"github.com/portico-dev/portico/app/templating"
	"github.com/portico-dev/portico/app/templating/plan"
)

// TemplateStatusOptions are the flags and arguments of `portico template status`.
type TemplateStatusOptions struct {
	Templates string   // platform configuration checkout: the latest versions, and the history drift renders from
	Catalog   string   // central catalog: local repository, owner/name or Git URL
	Format    string   // text or json
	Paths     []string // checkouts of generated repositories
}

func runTemplateStatusCmd(ctx context.Context, args []string, stdio IO) (int, error) {
	opts := TemplateStatusOptions{}
	fset := newFlagSet("template status", "template status [--templates DIR] [--catalog SRC] [--format text|json] [PATH...]", stdio.Err)
	fset.StringVar(&opts.Templates, "templates", "", "platform configuration Git checkout: latest versions, and the history drift is measured against; default: the embedded templates")
	fset.StringVar(&opts.Catalog, "catalog", "", "central catalog (local repository, owner/name or Git URL) whose entities name their source template")
	fset.StringVar(&opts.Format, "format", "text", "output format: text or json")
	rest, err := parseArgs(fset, args)
	if err != nil {
		return ExitUsage, err
	}
	opts.Paths = rest
	return RunTemplateStatus(ctx, opts, stdio)
}

// statusRepo is one repository generated from a template.
type statusRepo struct {
	Template string `json:"template"`
	Version  string `json:"version"` // "" when unknown (Backstage-generated without a version annotation)
	// Repository is the checkout's path, or the catalog entity's
	// reference; Location where the catalog says the entity comes from.
	Repository string `json:"repository"`
	Location   string `json:"location,omitempty"`
	// Origin is portico (an answers file) or backstage (the annotation only).
	Origin string       `json:"origin"`
	Drift  *statusDrift `json:"drift,omitempty"`
	// Pull is the open upgrade pull request, when the catalog was read
	// from GitHub and the repository has one.
	Pull *statusPull `json:"pull,omitempty"`
	// Note says why drift is not measured, or what the repository needs.
	Note string `json:"note,omitempty"`
}

// statusDrift is plan.Drift as status reports it.
type statusDrift struct {
	Share     float64  `json:"share"` // of the rendered files, the fraction still unchanged
	Unchanged int      `json:"unchanged"`
	Total     int      `json:"total"`
	Changed   []string `json:"changed,omitempty"`
	Missing   []string `json:"missing,omitempty"`
}

// statusVersion is one template version and its repositories.
type statusVersion struct {
	Version      string       `json:"version"`
	Repositories []statusRepo `json:"repositories"`
}

// statusTemplate is one template: its latest version where the platform
// configuration holds it, and its versions in use, oldest first.
type statusTemplate struct {
	Template string          `json:"template"`
	Latest   string          `json:"latest,omitempty"`
	Behind   int             `json:"behind"` // repositories at an older version than Latest
	Versions []statusVersion `json:"versions"`
}

// RunTemplateStatus reports, per template and version, the repositories
// generated from it and how far each has drifted: checkouts named as
// PATH arguments are measured (the render at their recorded version
// against their files); entities of a central catalog (--catalog) are
// listed with their versions, since drift needs a repository's files.
// Exit 0 with a report, 2 on usage or I/O errors, 3 when no generated
// repository was found.
func RunTemplateStatus(ctx context.Context, opts TemplateStatusOptions, stdio IO) (int, error) {
	if opts.Format != "text" && opts.Format != "json" {
		return ExitUsage, usagef("--format must be text or json, not %q", opts.Format)
	}
	if opts.Catalog == "" && len(opts.Paths) == 0 {
		return ExitUsage, usagef("template status needs checkouts as PATH arguments, --catalog SRC, or both")
	}
	src, err := openPlatform(opts.Templates)
	if err != nil {
		return ExitUsage, err
	}
	defer src.close()
	ts, _ := templating.List(src.fsys)
	m := &measurer{opts: opts, templates: ts}
	if opts.Templates != "" {
		if h, ok, err := openHistory(opts.Templates); err != nil {
			return ExitUsage, err
		} else if ok {
			m.history, m.sides = h, plan.NewSides(h)
		}
	}
	var repos []statusRepo
	for _, p := range opts.Paths {
		repos = append(repos, m.checkout(ctx, p))
	}
	if opts.Catalog != "" {
		listed, err := catalogGenerated(ctx, opts.Catalog, stdio.Getenv)
		if err != nil {
			return ExitUsage, err
		}
		repos = append(repos, listed...)
	}
	if err := writeTemplateStatus(stdio.Out, opts.Format, summarize(repos, ts)); err != nil {
		return ExitUsage, err
	}
	if len(repos) == 0 {
		fmt.Fprintln(stdio.Err, "portico: no repository generated from a template")
		return ExitNothing, nil
	}
	return ExitOK, nil
}

// measurer measures the drift of local checkouts.
type measurer struct {
	opts      TemplateStatusOptions
	templates []*templating.Template
	history   *platformHistory // nil without a Git checkout in --templates
	sides     *plan.Sides
}

func (m *measurer) checkout(ctx context.Context, dir string) statusRepo {
	r := statusRepo{Repository: dir}
	root, err := os.OpenRoot(dir)
	if err != nil {
		r.Note = err.Error()
		return r
	}
	defer root.Close()
	ours := &checkoutFiles{root: root}
	files, err := ours.Files(ctx, []string{templating.AnswersPath, "catalog-info.yaml", "catalog-info.yml"})
	if err != nil {
		r.Note = err.Error()
		return r
	}
	g := templating.Classify(files)
	r.Template, r.Origin = g.Template, g.Origin.String()
	switch {
	case g.Err != nil:
		r.Note = g.Err.Error()
	case g.Origin == templating.GeneratedByBackstage:
		r.Note = "generated by Backstage: add " + templating.AnswersPath + " to upgrade it"
	case g.Origin == templating.NotGenerated:
		r.Note = "not generated from a template"
	default:
		r.Version = g.Answers.Version
		r.Drift, r.Note = m.drift(ctx, g.Answers, ours)
	}
	return r
}

func (m *measurer) drift(ctx context.Context, a *templating.Answers, ours plan.Files) (*statusDrift, string) {
	if m.history == nil {
		return nil, "drift needs --templates DIR, a Git checkout of the platform configuration"
	}
	commit := a.PlatformCommit
	if commit == "" {
		t := templating.Find(m.templates, a.Template)
		if t == nil {
			return nil, fmt.Sprintf("no template %q in %s", a.Template, m.opts.Templates)
		}
		found, err := m.history.findVersion(ctx, t.Path, a.Version)
		if err != nil || found == "" {
			return nil, fmt.Sprintf("no platform_commit recorded and no commit at %s %s", a.Template, a.Version)
		}
		commit = found
	}
	base, err := m.sides.Side(ctx, commit, a.Template)
	if err != nil {
		return nil, err.Error()
	}
	d, err := plan.Measure(ctx, a, base, ours)
	if err != nil {
		return nil, err.Error()
	}
	return &statusDrift{Share: d.Share(), Unchanged: d.Unchanged, Total: d.Total, Changed: d.Changed, Missing: d.Missing}, ""
}

// summarize groups repositories by template and version (oldest first,
// unknown versions last) and counts those behind the latest version.
func summarize(repos []statusRepo, ts []*templating.Template) []statusTemplate {
	byName := map[string]*statusTemplate{}
	var out []*statusTemplate
	for _, r := range repos {
		name := cmp.Or(r.Template, "(none)")
		st := byName[name]
		if st == nil {
			st = &statusTemplate{Template: name}
			if t := templating.Find(ts, name); t != nil && t.Version != nil {
				st.Latest = t.Version.String()
			}
			byName[name] = st
			out = append(out, st)
		}
		i := slices.IndexFunc(st.Versions, func(v statusVersion) bool { return v.Version == r.Version })
		if i < 0 {
			st.Versions = append(st.Versions, statusVersion{Version: r.Version})
			i = len(st.Versions) - 1
		}
		st.Versions[i].Repositories = append(st.Versions[i].Repositories, r)
		if older(r.Version, st.Latest) {
			st.Behind++
		}
	}
	result := make([]statusTemplate, 0, len(out))
	for _, st := range out {
		slices.SortFunc(st.Versions, func(a, b statusVersion) int { return compareVersions(a.Version, b.Version) })
		for _, v := range st.Versions {
			slices.SortFunc(v.Repositories, func(a, b statusRepo) int { return cmp.Compare(a.Repository, b.Repository) })
		}
		result = append(result, *st)
	}
	slices.SortFunc(result, func(a, b statusTemplate) int { return cmp.Compare(a.Template, b.Template) })
	return result
}

func older(v, latest string) bool {
	a, err1 := semver.StrictNewVersion(v)
	b, err2 := semver.StrictNewVersion(latest)
	return errors.Join(err1, err2) == nil && a.LessThan(b)
}

func compareVersions(x, y string) int {
	a, err1 := semver.StrictNewVersion(x)
	b, err2 := semver.StrictNewVersion(y)
	switch {
	case err1 == nil && err2 == nil:
		return a.Compare(b)
	case err1 == nil:
		return -1
	case err2 == nil:
		return 1
	}
	return cmp.Compare(x, y)
}

func writeTemplateStatus(w io.Writer, format string, sts []statusTemplate) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"templates": sts})
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TEMPLATE\tVERSION\tLATEST\tREPOSITORY\tUNCHANGED\tPULL\tNOTE")
	for _, st := range sts {
		for _, v := range st.Versions {
			for _, r := range v.Repositories {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", st.Template, cmp.Or(v.Version, "?"), cmp.Or(st.Latest, "?"), r.Repository, driftText(r.Drift), pullText(r.Pull), r.Note)
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, st := range sts {
		n := 0
		for _, v := range st.Versions {
			n += len(v.Repositories)
		}
		fmt.Fprintf(w, "%s: %d %s, %d behind %s\n", st.Template, n, plural(n, "repository", "repositories"), st.Behind, cmp.Or(st.Latest, "the latest version (unknown here)"))
	}
	return nil
}

func driftText(d *statusDrift) string {
	if d == nil {
		return "-"
	}
	return fmt.Sprintf("%.0f%% (%d/%d)", d.Share*100, d.Unchanged, d.Total)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
