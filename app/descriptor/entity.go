package descriptor

// DefaultNamespace is the namespace of an entity that names none.
const DefaultNamespace = "default"

// Kind returns the entity kind, or "" when absent or not a string.
func (d *Document) Kind() string { return d.str("kind") }

// Name returns metadata.name, or "".
func (d *Document) Name() string { return d.meta("name") }

// Namespace returns metadata.namespace, defaulting to "default".
func (d *Document) Namespace() string {
	if ns := d.meta("namespace"); ns != "" {
		return ns
	}
	return DefaultNamespace
}

func (d *Document) str(key string) string {
	if d == nil || d.Root == nil {
		return ""
	}
	s, _ := d.Root.Get(key).Text()
	return s
}

func (d *Document) meta(key string) string {
	if d == nil || d.Root == nil {
		return ""
	}
	s, _ := d.Root.Get("metadata").Get(key).Text()
	return s
}

// Valid reports whether the document has no error-severity finding.
func (d *Document) Valid() bool {
	for _, f := range d.Findings {
		if f.Severity == SeverityError {
			return false
		}
	}
	return true
}
