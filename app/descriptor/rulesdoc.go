package descriptor

import _ "embed"

// RulesDoc is RULES.md, which documents every rule id of this package with
// an anchor and a description. Reports read their rule descriptions and
// links from it, so that the page users read is the only place they are
// written.
//
//go:embed RULES.md
var RulesDoc string
