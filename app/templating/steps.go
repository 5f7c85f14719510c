package templating

import (
	"fmt"
	"sort"
)

// The scaffolder actions portico recognises.
const (
	ActionFetchTemplate   = "fetch:template"
	ActionFetchPlain      = "fetch:plain"
	ActionPublishGitHub   = "publish:github"
	ActionCatalogRegister = "catalog:register"
	ActionDebugLog        = "debug:log"
)

var knownActions = map[string]bool{
	ActionFetchTemplate: true, ActionFetchPlain: true, ActionPublishGitHub: true,
	ActionCatalogRegister: true, ActionDebugLog: true,
}

// Step is one step of a template, its input as written (expressions
// unrendered). Known is false for an action portico has no meaning for:
// such a step is kept and reported, never dropped.
type Step struct {
	ID     string
	Name   string
	Action string
	If     any // nil when the step has no if
	Input  map[string]any
	Line   int
	Known  bool
}

// FetchTemplate is a fetch:template step's input once rendered.
type FetchTemplate struct {
	URL        string
	TargetPath string
	Values     map[string]any
	// CopyWithoutTemplating holds globs of files copied as they are
	// (their names rendered); CopyWithoutRender, the deprecated form,
	// leaves names unrendered too.
	CopyWithoutTemplating []string
	CopyWithoutRender     []string
	// TemplateFileExtension is the extension that marks the files to
	// render ("" renders every file); true in the template means ".njk".
	TemplateFileExtension string
	CookiecutterCompat    bool
	TrimBlocks            bool
	LStripBlocks          bool
	Replace               bool
}

// FetchPlain is a fetch:plain step's input once rendered.
type FetchPlain struct {
	URL        string
	TargetPath string
}

// PublishGitHub is a publish:github step's input once rendered.
type PublishGitHub struct {
	RepoURL        string
	Description    string
	DefaultBranch  string
	RepoVisibility string
	Topics         []string
}

// CatalogRegister is a catalog:register step's input once rendered.
type CatalogRegister struct {
	RepoContentsURL string
	CatalogInfoPath string
	CatalogInfoURL  string
	Optional        bool
}

// DebugLog is a debug:log step's input once rendered.
type DebugLog struct {
	Message       string
	ListWorkspace bool
}

// Decode types a known step's rendered input: a FetchTemplate,
// FetchPlain, PublishGitHub, CatalogRegister or DebugLog value. Unknown
// properties are left alone, as Backstage's actions ignore them.
func (s Step) Decode(input map[string]any) (any, error) {
	d := decoder{in: input}
	var out any
	switch s.Action {
	case ActionFetchTemplate:
		out = d.fetchTemplate()
	case ActionFetchPlain:
		out = FetchPlain{URL: d.str("url", true), TargetPath: d.str("targetPath", false)}
	case ActionPublishGitHub:
		out = PublishGitHub{RepoURL: d.str("repoUrl", true), Description: d.str("description", false),
			DefaultBranch: d.str("defaultBranch", false), RepoVisibility: d.str("repoVisibility", false), Topics: d.strs("topics")}
	case ActionCatalogRegister:
		out = CatalogRegister{RepoContentsURL: d.str("repoContentsUrl", false), CatalogInfoPath: d.str("catalogInfoPath", false),
			CatalogInfoURL: d.str("catalogInfoUrl", false), Optional: d.boolean("optional")}
	case ActionDebugLog:
		out = DebugLog{Message: d.str("message", false), ListWorkspace: d.boolean("listWorkspace")}
	default:
		return nil, fmt.Errorf("step %s: action %q is not one portico knows", s.label(), s.Action)
	}
	if d.err != nil {
		return nil, fmt.Errorf("step %s (%s): %w", s.label(), s.Action, d.err)
	}
	return out, nil
}

func (s Step) label() string {
	if s.ID != "" {
		return s.ID
	}
	return fmt.Sprintf("at line %d", s.Line)
}

func (d *decoder) fetchTemplate() FetchTemplate {
	f := FetchTemplate{URL: d.str("url", true), TargetPath: d.str("targetPath", false),
		CookiecutterCompat: d.boolean("cookiecutterCompat"), Replace: d.boolean("replace"),
		TrimBlocks: d.boolean("trimBlocks"), LStripBlocks: d.boolean("lstripBlocks")}
	if v, ok := d.in["values"]; ok && v != nil {
		m, isMap := v.(map[string]any)
		if !isMap {
			d.fail("values must be an object, found %T", v)
		}
		f.Values = m
	}
	f.CopyWithoutTemplating = d.strs("copyWithoutTemplating")
	f.CopyWithoutRender = d.strs("copyWithoutRender")
	if len(f.CopyWithoutRender) > 0 && len(f.CopyWithoutTemplating) > 0 {
		d.fail("copyWithoutRender and copyWithoutTemplating cannot both be set")
	}
	switch ext := d.in["templateFileExtension"].(type) {
	case nil:
	case bool:
		if ext {
			f.TemplateFileExtension = ".njk"
		}
	case string:
		f.TemplateFileExtension = ext
	default:
		d.fail("templateFileExtension must be a boolean or a string, found %T", ext)
	}
	if f.TemplateFileExtension != "" && len(f.CopyWithoutTemplating)+len(f.CopyWithoutRender) > 0 {
		d.fail("templateFileExtension and copyWithoutTemplating cannot both be set")
	}
	return f
}

// decoder reads typed properties from a rendered input, keeping the
// first problem.
type decoder struct {
	in  map[string]any
	err error
}

func (d *decoder) fail(format string, a ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format, a...)
	}
}

func (d *decoder) str(key string, required bool) string {
	v, ok := d.in[key]
	if !ok || v == nil {
		if required {
			d.fail("input %s is required", key)
		}
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		d.fail("input %s must be a string, found %T", key, v)
	}
	return s
}

func (d *decoder) boolean(key string) bool {
	v, ok := d.in[key]
	if !ok || v == nil {
		return false
	}
	b, isBool := v.(bool)
	if !isBool {
		d.fail("input %s must be a boolean, found %T", key, v)
	}
	return b
}

func (d *decoder) strs(key string) []string {
	v, ok := d.in[key]
	if !ok || v == nil {
		return nil
	}
	list, isList := v.([]any)
	if !isList {
		d.fail("input %s must be an array of strings, found %T", key, v)
		return nil
	}
	out := make([]string, 0, len(list))
	for _, it := range list {
		s, isStr := it.(string)
		if !isStr {
			d.fail("input %s must be an array of strings, found an item of type %T", key, it)
			return nil
		}
		out = append(out, s)
	}
	return out
}

// KnownActions lists the actions portico recognises, sorted.
func KnownActions() []string {
	out := make([]string, 0, len(knownActions))
	for a := range knownActions {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}
