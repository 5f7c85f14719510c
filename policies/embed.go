// Package policies holds the default organisation policies, Rego files
// embedded into the binary. An organisation replaces them with its own
// directory; see README.md for how policies are written.
package policies

import "embed"

// FS holds every .rego file of the default bundle, policies and their
// *_test.rego unit tests, at the root of the file system.
//
//go:embed *.rego
var FS embed.FS

// README is README.md, which documents the default bundle's rule ids with
// an anchor and a description each. Reports read their rule descriptions
// and links from it.
//
//go:embed README.md
var README string
