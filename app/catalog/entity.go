package catalog

import (
	"bytes"
	"context"
	"fmt"

	"github.com/portico-dev/portico/app/descriptor"
)

// Entity is one document of a source's descriptor file, parsed and checked
// with Backstage's rules (ParseFile does both).
type Entity struct {
	Path     string               // slash-separated path of the file in the source repository
	Document *descriptor.Document // nil Root when the file could not be read
	// Score is the entity's score file (Score, ScoreFile), nil when no
	// scorecard applies; it counts only in a Scored Source.
	Score []byte
}

// ParseFile reads a descriptor file of a source into its entities, each
// validated. A file that cannot be read at all (too large, not UTF-8)
// becomes one entity without a root that carries the file's findings, so
// that the entities recorded from that file stay as they are.
func ParseFile(path string, data []byte, maxBytes int64) []Entity {
	out, _ := ParseFileIn(context.Background(), path, data, maxBytes, nil)
	return out
}

// ParseFileIn is ParseFile for a file at path in a repository whose
// files the $text, $json and $yaml placeholders read (nil: they stay as
// written). They are resolved before validation, as Backstage does, so
// the catalog records what Backstage would read: left as written, a
// relative placeholder would be read relative to the central
// repository's catalog/ directory. A placeholder that cannot be resolved
// is a finding that makes its entity invalid; URL placeholders stay, for
// Backstage to fetch. An error means files failed otherwise (an API
// down): the caller retries rather than record a partial read.
func ParseFileIn(ctx context.Context, path string, data []byte, maxBytes int64, files descriptor.Files) ([]Entity, error) {
	f := descriptor.Parse(data, maxBytes)
	var out []Entity
	if len(f.Findings) > 0 {
		out = append(out, Entity{Path: path, Document: &descriptor.Document{Findings: f.Findings}})
	}
	resolve := files != nil && mayHavePlaceholders(data)
	for _, d := range f.Documents {
		if resolve {
			if err := descriptor.Resolve(ctx, d, path, files); err != nil {
				return nil, fmt.Errorf("resolve placeholders of %s: %w", path, err)
			}
		}
		descriptor.Validate(d)
		out = append(out, Entity{Path: path, Document: d})
	}
	return out, nil
}

// mayHavePlaceholders spares files without a placeholder key the walk.
func mayHavePlaceholders(data []byte) bool {
	return bytes.Contains(data, []byte("$text")) || bytes.Contains(data, []byte("$json")) || bytes.Contains(data, []byte("$yaml"))
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
