package policy

import (
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/portico-dev/portico/app/descriptor"
)

// EntityValue is the Rego value of a descriptor document's root, the
// `input` a policy sees. The scorecard engine hands entities to Rego the
// same way, so scorecards and policies read the same data.
func EntityValue(v *descriptor.Value) ast.Value { return toAST(v) }
