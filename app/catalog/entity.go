package catalog

import (
	"fmt"

	"github.com/portico-dev/portico/app/descriptor"
)

// Entity is one document of a source's descriptor file, parsed and checked
// with Backstage's rules (ParseFile does both).
type Entity struct {
	Path     string               // slash-separated path of the file in the source repository
	Document *descriptor.Document // nil Root when the file could not be read
}

// ParseFile reads a descriptor file of a source into its entities, each
// validated. A file that cannot be read at all (too large, not UTF-8)
// becomes one entity without a root that carries the file's findings, so
// that the entities recorded from that file stay as they are.
func ParseFile(path string, data []byte, maxBytes int64) []Entity {
	f := descriptor.Parse(data, maxBytes)
	var out []Entity
	if len(f.Findings) > 0 {
		out = append(out, Entity{Path: path, Document: &descriptor.Document{Findings: f.Findings}})
	}
	for _, d := range f.Documents {
		descriptor.Validate(d)
		out = append(out, Entity{Path: path, Document: d})
	}
	return out
}

// valid reports whether the entity can be recorded.
func (e Entity) valid() bool {
	return e.Document != nil && e.Document.Root != nil && e.Document.Valid()
}

// ref names the entity as Backstage does, or "" when it has no name.
func (e Entity) ref() string {
	if e.Document == nil || e.Document.Root == nil || e.Document.Name() == "" || e.Document.Kind() == "" {
		return ""
	}
	d := e.Document
	return descriptor.Ref{Kind: d.Kind(), Namespace: d.Namespace(), Name: d.Name()}.String()
}

// entityPath is where the entity is stored, or an error when it has no
// name or its name cannot be a path.
func (e Entity) entityPath() (string, error) {
	if e.ref() == "" {
		return "", fmt.Errorf("entity has no kind or name")
	}
	d := e.Document
	return EntityPath(d.Namespace(), d.Kind(), d.Name())
}
