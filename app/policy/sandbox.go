package policy

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// refusedBuiltins are the OPA built-ins that reach outside portico's
// process, with what they reach. Policies come from a repository that
// many people can merge to, and their output lands in check runs, so a
// built-in that can fetch, resolve or read the environment would let a
// policy author probe the network portico runs in (request forgery) or
// read its secrets. The other non-deterministic built-ins stay: the clock
// (time.now_ns), in-process randomness (rand.intn, uuid.rfc4122) and JWT
// signing and verification with keys given as strings (io.jwt.*) touch
// nothing outside; net.cidr_* compute on strings.
var refusedBuiltins = map[string]string{
	"http.send":          "it sends HTTP requests from portico's host",
	"net.lookup_ip_addr": "it resolves host names through portico's DNS",
	"opa.runtime":        "it reads portico's environment and configuration",
	"json.match_schema":  "it fetches the files and URLs that a schema's $ref names",
	"json.verify_schema": "it fetches the files and URLs that a schema's $ref names",
}

// RefusedBuiltins lists, sorted, the built-ins that policies may call only
// when the configuration allows them by name.
func RefusedBuiltins() []string { return slices.Sorted(maps.Keys(refusedBuiltins)) }

// sandbox is what a bundle may call: OPA's built-ins minus the refused
// ones that were not allowed.
type sandbox struct {
	caps    *ast.Capabilities
	refused map[string]string // name -> why
}

// newSandbox builds the capabilities for a bundle. allow names refused
// built-ins to let through; a name that is not a refused built-in is an
// error, so that a typo does not go unnoticed.
func newSandbox(allow []string) (*sandbox, error) {
	refused := maps.Clone(refusedBuiltins)
	var errs []error
	for _, name := range allow {
		if _, ok := refused[name]; !ok {
			errs = append(errs, fmt.Errorf("allow built-in %q: not one portico refuses (%s)", name, strings.Join(RefusedBuiltins(), ", ")))
		}
		delete(refused, name)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	caps := ast.CapabilitiesForThisVersion()
	caps.Builtins = slices.DeleteFunc(caps.Builtins, func(b *ast.Builtin) bool {
		_, out := refused[b.Name]
		return out
	})
	if len(refused) == len(refusedBuiltins) {
		// No host is reachable: this also stops the compiler from fetching
		// the remote schemas that type-checking annotations may name.
		caps.AllowNet = []string{}
	}
	return &sandbox{caps: caps, refused: refused}, nil
}

// check reports every use of a refused built-in in modules, each with its
// file and line. The compiler would refuse them too, as undefined
// functions; this says why and how to allow one.
func (s *sandbox) check(modules map[string]*ast.Module) error {
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(modules)) {
		for _, use := range builtinUses(modules[name]) {
			why, ok := s.refused[use.name]
			if !ok {
				continue
			}
			errs = append(errs, fmt.Errorf("%s: %s is not allowed in policies: %s; an operator can allow it with policy.allow_builtins (PORTICO_POLICY_ALLOW_BUILTINS)",
				use.loc, use.name, why))
		}
	}
	return errors.Join(errs...)
}

type builtinUse struct {
	name string
	loc  *ast.Location
}

// builtinUses finds every reference to a function in m that could name a
// built-in: calls, nested calls, and both sides of `with`.
func builtinUses(m *ast.Module) []builtinUse {
	var uses []builtinUse
	add := func(t *ast.Term) {
		if ref, ok := t.Value.(ast.Ref); ok {
			uses = append(uses, builtinUse{name: ref.String(), loc: t.Location})
		}
	}
	ast.NewGenericVisitor(func(x any) bool {
		switch x := x.(type) {
		case *ast.Expr:
			if x.IsCall() {
				add(x.OperatorTerm())
			}
		case ast.Call:
			add(x[0])
		case *ast.With:
			add(x.Target)
			add(x.Value)
		}
		return false
	}).Walk(m)
	return uses
}
