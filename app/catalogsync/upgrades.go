package catalogsync

import (
	"context"
	"log/slog"
	"strings"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/templating"
)

// TemplateUse is a synced repository's entity that says which template
// it was generated from and at which version.
type TemplateUse struct {
	Template, Version string
}

// Upgrades hears of the templates each synced repository was generated
// from, so that a repository behind the platform's template gets its
// upgrade pull request; app/upgrade's Triggers is one (wired in
// app/server).
type Upgrades interface {
	Synced(ctx context.Context, installation int64, owner, repo string, uses []TemplateUse) error
}

// WithUpgrades tells u of every repository a sync records.
func (r *Runner) WithUpgrades(u Upgrades) *Runner {
	r.upgrades = u
	return r
}

// tellUpgrades passes on the template annotations of the recorded
// entities. A failure is logged, not the sync's: the next sync or
// template bump tries again.
func (r *Runner) tellUpgrades(ctx context.Context, log *slog.Logger, a SyncArgs, ents []catalog.Entity) {
	if r.upgrades == nil {
		return
	}
	uses := templateUses(ents)
	if len(uses) == 0 {
		return
	}
	if err := r.upgrades.Synced(ctx, a.InstallationID, a.Owner, a.Repo, uses); err != nil {
		log.Warn("template upgrade check after sync failed", "error", err)
	}
}

// templateUses reads each entity's backstage.io/source-template and
// portico.dev/template-version, one use per template.
func templateUses(ents []catalog.Entity) []TemplateUse {
	seen := map[string]bool{}
	var out []TemplateUse
	for _, e := range ents {
		if e.Document == nil || e.Document.Root == nil {
			continue
		}
		ann := e.Document.Root.Get("metadata").Get("annotations")
		ref, _ := ann.Get(templating.SourceTemplateAnnotation).Text()
		version, _ := ann.Get(templating.VersionAnnotation).Text()
		name := ref[strings.LastIndexAny(ref, ":/")+1:]
		if name == "" || version == "" || seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, TemplateUse{Template: name, Version: version})
	}
	return out
}
