// Package descriptor owns the catalog entity model: it reads Backstage
// descriptor files (multi-document YAML) into position-carrying values,
// applies Backstage's own validation rules, and parses entity references.
//
// Every finding carries the line and column of the value at fault. The
// package never imports go-github or the policy engine; other engines build
// on its Value tree.
package descriptor
