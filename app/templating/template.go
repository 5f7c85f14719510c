package templating

import (
	"github.com/Masterminds/semver/v3"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// File names and annotations portico gives meaning to.
const (
	// TemplateFile is the name of a template's definition file.
	TemplateFile = "template.yaml"
	// TemplatesDir is the platform configuration's folder of templates.
	TemplatesDir = "templates"
	// VersionAnnotation holds a template's semver.
	VersionAnnotation = "portico.dev/template-version"
	// SourceTemplateAnnotation is Backstage's own annotation naming the
	// template an entity was generated from.
	SourceTemplateAnnotation = "backstage.io/source-template"
	// APIVersion is the only Template apiVersion portico renders.
	APIVersion = "scaffolder.backstage.io/v1beta3"
)

// Template is one loaded golden-path template.
type Template struct {
	Name        string
	Title       string
	Description string
	Version     *semver.Version
	// Path is the template.yaml's path in the platform configuration,
	// Dir its folder: relative step URLs start there.
	Path string
	Dir  string
	// Pages are the parameter pages, each a JSON Schema with Backstage's
	// ui:* keys, in order; a single parameters object is one page.
	Pages []Page
	Steps []Step
	// Output is spec.output as plain data.
	Output map[string]any

	schemas              []*jsonschema.Schema // one per page, compiled at load
	nameLine, nameColumn int
}

// Page is one page of a template's parameters form.
type Page struct {
	Title  string
	Schema map[string]any
	Line   int
}

// Ref is the entity reference Backstage's source-template annotation
// gives a template: template:default/<name>.
func (t *Template) Ref() string { return "template:default/" + t.Name }
