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
