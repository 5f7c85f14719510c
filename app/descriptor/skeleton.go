package descriptor

import (
	"bytes"
	"regexp"
)

// templateKind finds a Template document in text that may not parse: a
// Template's steps hold ${{ }} expressions too, and a broken Template must
// still be reported, never skipped as a skeleton.
var templateKind = regexp.MustCompile(`(?m)^kind:[ \t]*["']?Template["']?[ \t]*(#.*)?\r?$`)

// IsSkeleton reports whether a descriptor file is a template skeleton: a
// file that a Template's fetch:template step renders, holding scaffolder
// expressions (${{ ... }}) that make it a different document once
// rendered. Such a file is not checked as a descriptor (the templates it
// belongs to are checked by rendering). A file that holds a Template is
// never a skeleton: Templates hold expressions in their steps. A skeleton
// file without expressions renders to itself, so it is checked as it is.
func IsSkeleton(data []byte) bool {
	return bytes.Contains(data, []byte("${{")) && !templateKind.Match(data)
}
