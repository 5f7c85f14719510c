package policy

import (
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/portico-dev/portico/app/descriptor"
)

// The members of a finding object.
var (
	msgKey  = ast.StringTerm("msg")
	ruleKey = ast.StringTerm("rule")
	pathKey = ast.StringTerm("path")
)

// finding decodes one element of a deny or warn set: a message string, or
// an object {"msg": ..., "rule": ..., "path": ...} with rule and path
// optional.
func (s source) finding(v ast.Value, d *descriptor.Document) (descriptor.Finding, error) {
	f := descriptor.Finding{Severity: s.severity, Rule: s.rule}
	var path descriptor.Path
	switch v := v.(type) {
	case ast.String:
		f.Message = string(v)
	case ast.Object:
		var err error
		if f.Message, err = field(v, msgKey, true); err != nil {
			return f, s.errorf(v, err)
		}
		if rule, err := field(v, ruleKey, false); err != nil {
			return f, s.errorf(v, err)
		} else if rule != "" {
			f.Rule = rule
		}
		if path, err = findingPath(v.Get(pathKey)); err != nil {
			return f, s.errorf(v, err)
		}
	default:
		return f, s.errorf(v, fmt.Errorf("want a message string or an object with msg"))
	}
	f.Line, f.Column = locate(d, path)
	if len(path) > 0 {
		f.Path = path.String()
	}
	return f, nil
}

func (s source) errorf(v ast.Value, err error) error {
	return fmt.Errorf("evaluate %s: element %v: %w", s.ref, v, err)
}

// field reads a string member of a finding object.
func field(o ast.Object, key *ast.Term, required bool) (string, error) {
	t := o.Get(key)
	if t == nil {
		if required {
			return "", fmt.Errorf("%s is missing", key)
		}
		return "", nil
	}
	str, ok := t.Value.(ast.String)
	if !ok {
		return "", fmt.Errorf("%s must be a string", key)
	}
	return string(str), nil
}

// findingPath reads a path given in descriptor.Path notation or as an
// array of keys and indexes.
func findingPath(t *ast.Term) (descriptor.Path, error) {
	if t == nil {
		return nil, nil
	}
	switch v := t.Value.(type) {
	case ast.String:
		return descriptor.ParsePath(string(v))
	case *ast.Array:
		p := make(descriptor.Path, 0, v.Len())
		for i := range v.Len() {
			switch e := v.Elem(i).Value.(type) {
			case ast.String:
				p = append(p, string(e))
			case ast.Number:
				n, ok := e.Int()
				if !ok || n < 0 {
					return nil, fmt.Errorf("path index %v is not a list index", e)
				}
				p = append(p, n)
			default:
				return nil, fmt.Errorf("path element %v is neither key nor index", e)
			}
		}
		return p, nil
	}
	return nil, fmt.Errorf("path must be a string or an array")
}

// locate finds the position of path in the document; with no path the
// finding belongs to the whole document, so it points at its first line.
func locate(d *descriptor.Document, path descriptor.Path) (line, col int) {
	if len(path) == 0 && d.Line > 0 {
		return d.Line, 1
	}
	return d.Root.Locate(path)
}
