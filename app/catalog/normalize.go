package catalog

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"gopkg.in/yaml.v3"
)

// Annotations portico writes on every recorded entity.
const (
	AnnotationLocation       = "backstage.io/managed-by-location"
	AnnotationOriginLocation = "backstage.io/managed-by-origin-location"
	AnnotationSourceRepo     = "portico.dev/source-repository"
	AnnotationSourceCommit   = "portico.dev/source-commit"
	AnnotationSourcePath     = "portico.dev/source-path"
)

// provenance is where one entity came from.
type provenance struct {
	repo, url, commit, path string
}

// location is the Backstage location of the descriptor file: a URL at the
// commit for a remote source, a file path for a local one.
func (p provenance) location() string {
	if strings.HasPrefix(p.url, "https://") || strings.HasPrefix(p.url, "http://") {
		base := strings.TrimSuffix(strings.TrimSuffix(p.url, "/"), ".git")
		return "url:" + base + "/blob/" + p.commit + "/" + p.path
	}
	return "file:" + path.Join(p.url, p.path)
}

// normalize renders an entity as it is recorded: deterministic YAML with
// keys sorted (so apiVersion, kind, metadata, spec at the root, with name
// and namespace first in metadata), metadata.namespace always set, and the
// provenance annotations. It expects a valid entity.
func normalize(e Entity, p provenance) ([]byte, error) {
	m, ok := e.Document.Root.Interface().(map[string]any)
	if !ok {
		return nil, fmt.Errorf("normalize entity: root is not a mapping")
	}
	meta, _ := m["metadata"].(map[string]any)
	meta["namespace"] = e.Document.Namespace()
	ann, _ := meta["annotations"].(map[string]any)
	if ann == nil {
		ann = map[string]any{}
		meta["annotations"] = ann
	}
	loc := p.location()
	ann[AnnotationLocation], ann[AnnotationOriginLocation] = loc, loc
	ann[AnnotationSourceRepo], ann[AnnotationSourceCommit], ann[AnnotationSourcePath] = p.repo, p.commit, p.path
	return encodeYAML(m)
}

func encodeYAML(m map[string]any) ([]byte, error) {
	var n yaml.Node
	if err := n.Encode(m); err != nil {
		return nil, fmt.Errorf("encode entity: %w", err)
	}
	nameFirst(&n)
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return nil, fmt.Errorf("encode entity: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode entity: %w", err)
	}
	return b.Bytes(), nil
}

// nameFirst moves metadata.name and metadata.namespace to the front, where
// a reader looks for them.
func nameFirst(root *yaml.Node) {
	meta := mapValue(root, "metadata")
	if meta == nil {
		return
	}
	var head, rest []*yaml.Node
	for i := 0; i+1 < len(meta.Content); i += 2 {
		k := meta.Content[i]
		if k.Value == "name" || k.Value == "namespace" {
			head = append(head, meta.Content[i], meta.Content[i+1])
		} else {
			rest = append(rest, meta.Content[i], meta.Content[i+1])
		}
	}
	meta.Content = append(head, rest...)
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// digest fingerprints what an entity records apart from the commit it was
// read at: its content and its source path. A push that leaves an entity
// as it was changes nothing in the catalog, so the entity keeps the commit
// that last changed it.
func digest(e Entity, url string) (string, error) {
	data, err := json.Marshal(e.Document.Root.Interface())
	if err != nil {
		return "", fmt.Errorf("digest entity: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", url, e.Path)
	h.Write(data)
	return fmt.Sprintf("%x", h.Sum(nil)[:16]), nil
}
