// Package templates holds the default golden-path templates embedded into
// the binary; the platform configuration's templates/ folder replaces
// them. See README.md for how a template is laid out.
package templates

import "embed"

// FS holds this folder as it is: each template's folder with its
// template.yaml and the skeletons its steps fetch. The all: prefix keeps
// the dotfiles (.github/, .gitignore) that skeletons hold. A skeleton
// file named go.mod cannot be embedded (Go takes its folder for another
// module): name it go.mod.njk with templateFileExtension.
//
//go:embed all:*
var FS embed.FS
