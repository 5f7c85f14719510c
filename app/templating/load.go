package templating

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/portico-dev/portico/app/descriptor"
)

// List loads every template of a platform configuration: each
// template.yaml under its templates/ folder. A broken template, and every
// template sharing its name with another, is left out and reported; the
// rest load. Findings are sorted by file and line.
func List(fsys fs.FS) ([]*Template, []Finding) {
	var out []*Template
	var findings []Finding
	files, err := templateFiles(fsys)
	if err != nil {
		return nil, []Finding{{File: TemplatesDir, Finding: descriptor.Finding{Severity: descriptor.SeverityError,
			Rule: RuleRead, Message: err.Error(), Line: 1, Column: 1}}}
	}
	for _, p := range files {
		t, fs := Load(fsys, p)
		findings = append(findings, fs...)
		if t != nil {
			out = append(out, t)
		}
	}
	out, findings = dropDuplicates(out, findings)
	sort.SliceStable(findings, func(i, j int) bool {
		if findings[i].File != findings[j].File {
			return findings[i].File < findings[j].File
		}
		return findings[i].Line < findings[j].Line
	})
	return out, findings
}

// Find returns the template named name among ts, or nil.
func Find(ts []*Template, name string) *Template {
	for _, t := range ts {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// templateFiles lists the template.yaml files under templates/, in
// path order; a configuration without the folder has none.
func templateFiles(fsys fs.FS) ([]string, error) {
	var files []string
	err := fs.WalkDir(fsys, TemplatesDir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil && p == TemplatesDir && errors.Is(err, fs.ErrNotExist):
			return fs.SkipAll
		case err != nil:
			return err
		case d.IsDir() && d.Name() == ".git":
			return fs.SkipDir
		case !d.IsDir() && d.Name() == TemplateFile:
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	return files, nil
}

// dropDuplicates leaves out every template whose name another one has:
// which of them a repository came from cannot be told.
func dropDuplicates(ts []*Template, findings []Finding) ([]*Template, []Finding) {
	byName := map[string][]*Template{}
	for _, t := range ts {
		byName[t.Name] = append(byName[t.Name], t)
	}
	var out []*Template
	for _, t := range ts {
		same := byName[t.Name]
		if len(same) == 1 {
			out = append(out, t)
			continue
		}
		var others []string
		for _, o := range same {
			if o != t {
				others = append(others, o.Path)
			}
		}
		findings = append(findings, Finding{File: t.Path, Finding: descriptor.Finding{Severity: descriptor.SeverityError,
			Rule: RuleDuplicate, Line: t.nameLine, Column: t.nameColumn,
			Message: fmt.Sprintf("template name %q is also used by %s: template names must be unique", t.Name, strings.Join(others, ", "))}})
	}
	return out, findings
}

// Load reads the template at path p (a template.yaml) of a platform
// configuration. The template is nil when an error finding refuses it.
func Load(fsys fs.FS, p string) (*Template, []Finding) {
	data, err := readCapped(fsys, p, descriptor.DefaultMaxBytes)
	if err != nil {
		return nil, []Finding{{File: p, Finding: descriptor.Finding{Severity: descriptor.SeverityError,
			Rule: RuleRead, Message: err.Error(), Line: 1, Column: 1}}}
	}
	doc, findings := templateDocument(p, data)
	if doc == nil || hasError(findings) {
		return nil, findings
	}
	l := loader{fsys: fsys, file: p, root: doc.Root}
	t := l.template()
	findings = append(findings, l.findings...)
	if hasError(findings) {
		return nil, findings
	}
	return t, findings
}

func readCapped(fsys fs.FS, p string, limit int64) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("read %s: over the limit of %d bytes", p, limit)
	}
	return data, nil
}

// templateDocument parses a template.yaml with the descriptor parser and
// Backstage's rules, and returns its one Template document.
func templateDocument(file string, data []byte) (*descriptor.Document, []Finding) {
	parsed := descriptor.Parse(data, descriptor.DefaultMaxBytes)
	var findings []Finding
	wrap := func(fs []descriptor.Finding) {
		for _, f := range fs {
			findings = append(findings, Finding{File: file, Finding: f})
		}
	}
	wrap(parsed.Findings)
	var found []*descriptor.Document
	for _, d := range parsed.Documents {
		descriptor.Validate(d)
		wrap(d.Findings)
		if d.Root != nil && d.Kind() == "Template" {
			found = append(found, d)
		}
	}
	if hasError(findings) {
		return nil, findings
	}
	switch len(found) {
	case 0:
		findings = append(findings, findingAt(file, descriptor.SeverityError, RuleEntity, nil,
			"no Template entity (kind: Template, apiVersion: "+APIVersion+") in this file"))
		return nil, findings
	case 1:
		return found[0], findings
	}
	findings = append(findings, findingAt(file, descriptor.SeverityError, RuleEntity, found[1].Root,
		"more than one Template entity in this file: a template.yaml holds one template"))
	return nil, findings
}

// loader builds a Template from its checked document.
type loader struct {
	fsys     fs.FS
	file     string
	root     *descriptor.Value
	findings []Finding
}

func (l *loader) fail(rule string, v *descriptor.Value, format string, a ...any) {
	l.findings = append(l.findings, findingAt(l.file, descriptor.SeverityError, rule, v, fmt.Sprintf(format, a...)))
}

func (l *loader) warn(rule string, v *descriptor.Value, format string, a ...any) {
	l.findings = append(l.findings, findingAt(l.file, descriptor.SeverityWarning, rule, v, fmt.Sprintf(format, a...)))
}

func (l *loader) template() *Template {
	meta, spec := l.root.Get("metadata"), l.root.Get("spec")
	name := meta.Get("name")
	t := &Template{Path: l.file, Dir: path.Dir(l.file), nameLine: name.Line, nameColumn: name.Column}
	t.Name, _ = name.Text()
	t.Title, _ = meta.Get("title").Text()
	t.Description, _ = meta.Get("description").Text()
	t.Version = l.version(meta)
	t.Pages = l.pages(spec.Get("parameters"))
	t.schemas = l.compile(spec.Get("parameters"), t.Pages)
	t.Steps = l.steps(t.Dir, spec.Get("steps"))
	if out, ok := spec.Get("output").Interface().(map[string]any); ok {
		t.Output = out
	}
	return t
}

func (l *loader) version(meta *descriptor.Value) *semver.Version {
	ann := meta.Get("annotations")
	v := ann.Get(VersionAnnotation)
	if v == nil {
		at := ann
		if at == nil {
			at = meta
		}
		l.fail(RuleVersion, at, "metadata.annotations[%q] is missing: a template needs a version (for instance \"1.0.0\") to be rendered and upgraded", VersionAnnotation)
		return nil
	}
	s, _ := v.Text()
	ver, err := semver.StrictNewVersion(s)
	if err != nil {
		l.fail(RuleVersion, v, "metadata.annotations[%q] is %q, not a semantic version MAJOR.MINOR.PATCH (such as 1.4.0): %v", VersionAnnotation, s, err)
		return nil
	}
	return ver
}

// scheme matches a URL scheme, which a step's url must not have: a
// template renders only from the platform configuration.
var scheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// resolveURL returns the folder of the platform configuration that a
// fetch step's url names, relative to the template's folder dir.
func resolveURL(dir, url string) (string, error) {
	switch {
	case url == "":
		return "", errors.New("url is empty")
	case scheme.MatchString(url) || strings.HasPrefix(url, "//"):
		return "", fmt.Errorf("url %q is a remote URL: a template renders only folders of the platform configuration", url)
	case strings.HasPrefix(url, "/") || strings.Contains(url, "\\"):
		return "", fmt.Errorf("url %q is not a relative slash-separated path", url)
	}
	p := path.Join(dir, url)
	if p == ".." || strings.HasPrefix(p, "../") || !fs.ValidPath(p) {
		return "", fmt.Errorf("url %q leaves the platform configuration", url)
	}
	return p, nil
}
