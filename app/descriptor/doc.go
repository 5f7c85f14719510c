// Package descriptor owns the catalog entity model: it reads Backstage
// descriptor files (multi-document YAML) into position-carrying values
// (Parse), applies Backstage's own validation rules to each entity
// (Validate), and parses the entity references between entities (ParseRef,
// References).
//
// Every finding carries the line and column of the value at fault and a
// stable rule id; RULES.md lists the ids, the kinds Backstage knows, and
// where portico deliberately differs from Backstage. Parity with Backstage
// is checked against its own verdicts on the corpus in testdata/parity.
// The package never imports go-github or the policy engine; other engines
// build on its Value tree.
package descriptor
