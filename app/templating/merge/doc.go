// Package merge is the three-way merge of a template upgrade: the
// template as the repository was generated (base), the repository as it
// is now (ours) and the template at its new version (theirs), as trees
// in memory.
//
// Text merges one file line by line and gives exactly what
// `git merge-file -p` gives on the same three texts, conflict markers
// included: it is a port of the parts of Git's xdiff that command runs,
// checked against the git binary in the tests. Trees applies the
// per-file rules of an upgrade (files added, removed, deleted, binary,
// modes, symlinks) and reports every path's outcome.
package merge
