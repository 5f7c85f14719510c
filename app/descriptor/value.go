package descriptor

// Kind is the YAML 1.2 core-schema type of a Value, as Backstage's YAML
// parser resolves it.
type Kind uint8

// The kinds a Value can have.
const (
	Null Kind = iota
	Bool
	Number
	String
	Map
	List
)

var kindNames = [...]string{"null", "boolean", "number", "string", "object", "array"}

// String names the kind as a JSON Schema type would.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Value is one node of a parsed document, with the position it came from.
// Aliases are expanded, so a Value tree has no cycles and may share
// subtrees.
type Value struct {
	Kind Kind
	// opaque marks a placeholder that Resolve left as it is (a URL
	// Backstage would fetch): it stands for content not read here.
	opaque bool
	// loaded marks a value that Resolve read from the file a placeholder
	// names: data, whose own placeholders Backstage does not resolve.
	loaded bool
	Str    string  // String: the value; Number: the source text
	Num    float64 // Number
	Bool   bool    // Bool
	Fields []Field // Map, in source order
	Items  []*Value
	Line   int
	Column int
}

// Field is one key of a mapping with the position of the key itself.
type Field struct {
	Key     string
	Line    int
	Column  int
	Value   *Value
	keyKind Kind
}

// Get returns the value under key, or nil when v is not a mapping or has no
// such key. When keys of different YAML types read as the same property
// (1 and "1"), the last one wins, as in the JavaScript object Backstage sees.
func (v *Value) Get(key string) *Value {
	if v == nil || v.Kind != Map {
		return nil
	}
	for i := len(v.Fields) - 1; i >= 0; i-- {
		if v.Fields[i].Key == key {
			return v.Fields[i].Value
		}
	}
	return nil
}

// Field returns the field under key, or nil.
func (v *Value) Field(key string) *Field {
	if v == nil || v.Kind != Map {
		return nil
	}
	for i := len(v.Fields) - 1; i >= 0; i-- {
		if v.Fields[i].Key == key {
			return &v.Fields[i]
		}
	}
	return nil
}

// Text returns the string a String value holds and whether it is one.
func (v *Value) Text() (string, bool) {
	if v == nil || v.Kind != String {
		return "", false
	}
	return v.Str, true
}

// Interface converts the value to plain Go data (map[string]any, []any,
// string, float64, bool, nil), as encoding/json would produce it.
func (v *Value) Interface() any {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case Bool:
		return v.Bool
	case Number:
		return v.Num
	case String:
		return v.Str
	case Map:
		m := make(map[string]any, len(v.Fields))
		for _, f := range v.Fields {
			m[f.Key] = f.Value.Interface()
		}
		return m
	case List:
		l := make([]any, len(v.Items))
		for i, it := range v.Items {
			l[i] = it.Interface()
		}
		return l
	}
	return nil
}
