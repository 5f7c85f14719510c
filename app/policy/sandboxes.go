package policy

import "github.com/open-policy-agent/opa/v1/ast"

// Sandbox is the set of built-ins that Rego from an organisation's
// repository may call, for the other engines that compile such Rego (the
// scorecards): the same refusals as policies, with the same operator
// setting to allow some.
type Sandbox struct{ sb *sandbox }

// NewSandbox refuses the built-ins that reach outside portico's process
// (RefusedBuiltins) but those allow names.
func NewSandbox(allow ...string) (*Sandbox, error) {
	sb, err := newSandbox(allow)
	if err != nil {
		return nil, err
	}
	return &Sandbox{sb: sb}, nil
}

// Check reports every call of a refused built-in in modules, with its
// file and line and how to allow it.
func (s *Sandbox) Check(modules map[string]*ast.Module) error { return s.sb.check(modules) }

// Capabilities are what the compiler and the query must be given, so
// that a refused built-in cannot be reached another way.
func (s *Sandbox) Capabilities() *ast.Capabilities { return s.sb.caps }
