package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/Masterminds/semver/v3"

	"github.com/portico-dev/portico/app/gitfs"
	"github.com/portico-dev/portico/app/templating"
	"github.com/portico-dev/portico/app/templating/plan"
)

// upgradeSides finds the template to upgrade to (target) and the one the
// repository was rendered from (base):
//   - target: --templates DIR's working tree, or with --to VERSION the
//     newest commit of DIR's first-parent history whose template is at
//     VERSION (the working tree when it is); the embedded templates
//     without --templates;
//   - base: DIR's history at the answers' platform_commit, or, when the
//     answers record none, the newest commit whose template is at the
//     answers' version (said on stderr).
//
// A target not newer than the answers is plan.ErrCurrent, before any
// history is read: the embedded templates and a folder outside Git can
// say so, but have no history to give a base.
func upgradeSides(ctx context.Context, opts TemplateUpgradeOptions, src *platformSource, answers *templating.Answers, stdio IO) (target, base plan.Side, err error) {
	ts, _ := templating.List(src.fsys)
	wt := templating.Find(ts, answers.Template)
	if wt == nil {
		return target, base, fmt.Errorf("template upgrade: the repository was generated from template %q, which %s does not hold", answers.Template, src.name)
	}
	target = plan.Side{Template: wt, FS: src.fsys, Commit: src.commit}
	if opts.Templates == "" {
		return embeddedSides(opts, answers, target)
	}
	h, ok, err := openHistory(opts.Templates)
	if err != nil {
		return target, base, err
	}
	if !ok {
		if err := checkNewer(answers, wt.Version); err != nil {
			return target, base, err
		}
		return target, base, fmt.Errorf("template upgrade: --templates %s is not in a Git checkout: the base (%s %s) is read from the platform configuration's history, so name a clone of the platform repository", opts.Templates, answers.Template, answers.Version)
	}
	sides := plan.NewSides(h)
	if target, err = pickTarget(ctx, opts, h, sides, target); err != nil {
		return target, base, err
	}
	if target.Template == wt {
		warnTemplateUncommitted(ctx, h, target, opts.Templates, stdio)
	}
	if err := checkNewer(answers, target.Template.Version); err != nil {
		return target, base, err
	}
	base, err = pickBase(ctx, opts, h, sides, answers, wt.Path, stdio)
	return target, base, err
}

// embeddedSides: the embedded templates know their own version only.
func embeddedSides(opts TemplateUpgradeOptions, answers *templating.Answers, target plan.Side) (plan.Side, plan.Side, error) {
	if opts.To != "" && opts.To != target.Template.Version.String() {
		return target, plan.Side{}, fmt.Errorf("template upgrade: --to %s: the embedded templates hold %s %s only; name the platform configuration's checkout with --templates DIR to pick another version from its history", opts.To, answers.Template, target.Template.Version)
	}
	if err := checkNewer(answers, target.Template.Version); err != nil {
		return target, plan.Side{}, err
	}
	return target, plan.Side{}, fmt.Errorf("template upgrade: the embedded templates hold %s %s but not %s, the version the repository was rendered from; the base of the merge is read from the platform configuration's Git history, so run again with --templates DIR, a clone of the platform repository (the answers' platform_commit, or a commit at %s, must be in it)",
		answers.Template, target.Template.Version, answers.Version, answers.Version)
}

// checkNewer is plan.ErrCurrent unless to is newer than the answers' version.
func checkNewer(answers *templating.Answers, to *semver.Version) error {
	from, err := semver.StrictNewVersion(answers.Version)
	if err != nil {
		return fmt.Errorf("template upgrade: answers version: %w", err)
	}
	if !to.GreaterThan(from) {
		return fmt.Errorf("%w (the template is at %s)", plan.ErrCurrent, to)
	}
	return nil
}

func pickTarget(ctx context.Context, opts TemplateUpgradeOptions, h *platformHistory, sides *plan.Sides, wt plan.Side) (plan.Side, error) {
	if opts.To == "" {
		return wt, nil
	}
	to, err := semver.StrictNewVersion(opts.To)
	if err != nil {
		return wt, usagef("--to %q is not a semantic version MAJOR.MINOR.PATCH", opts.To)
	}
	if wt.Template.Version.Equal(to) {
		return wt, nil
	}
	commit, err := h.findVersion(ctx, wt.Template.Path, to.String())
	if err != nil {
		return wt, fmt.Errorf("template upgrade: search %s's history for %s %s: %w", opts.Templates, wt.Template.Name, to, err)
	}
	if commit == "" {
		return wt, fmt.Errorf("template upgrade: --to %s: no commit of %s's history (from HEAD, first parents) has %s at that version (the working tree has %s)", to, opts.Templates, wt.Template.Path, wt.Template.Version)
	}
	return sides.Side(ctx, commit, wt.Template.Name)
}

func pickBase(ctx context.Context, opts TemplateUpgradeOptions, h *platformHistory, sides *plan.Sides, answers *templating.Answers, file string, stdio IO) (plan.Side, error) {
	commit := answers.PlatformCommit
	if commit == "" {
		found, err := h.findVersion(ctx, file, answers.Version)
		if err != nil {
			return plan.Side{}, fmt.Errorf("template upgrade: search %s's history for %s %s: %w", opts.Templates, answers.Template, answers.Version, err)
		}
		if found == "" {
			return plan.Side{}, fmt.Errorf("template upgrade: the answers record no platform_commit and no commit of %s's history has %s at %s: add platform_commit (the platform configuration's commit the repository was rendered from) to %s",
				opts.Templates, file, answers.Version, templating.AnswersPath)
		}
		fmt.Fprintf(stdio.Err, "portico: the answers record no platform_commit: the base is %s, the newest commit with %s %s\n", found[:12], answers.Template, answers.Version)
		commit = found
	}
	base, err := sides.Side(ctx, commit, answers.Template)
	if errors.Is(err, gitfs.ErrUnknownCommit) {
		return base, fmt.Errorf("template upgrade: the answers' platform_commit %s is not in %s's repository: fetch its full history (git fetch --unshallow) or name a clone of the repository the template came from", commit, opts.Templates)
	}
	if err != nil {
		return base, fmt.Errorf("template upgrade: the base, %s %s: %w", answers.Template, answers.Version, err)
	}
	if base.Template.Version.String() != answers.Version {
		fmt.Fprintf(stdio.Err, "portico: the template at platform_commit %s is at %s, the answers say %s: the base is rendered from that commit\n", commit[:12], base.Template.Version, answers.Version)
	}
	return base, nil
}
