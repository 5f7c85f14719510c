package policy

import (
	"context"
	"testing"
	"testing/fstest"
)

// An organisation's policy directory holds its scorecards too; their
// packages must not be loaded as descriptor policies, where a `deny` that
// is no partial set would refuse the whole bundle.
func TestNewSkipsScorecardsDir(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"ok.rego":                  {Data: []byte("package portico.ok\n\ndeny contains \"x\" if input.kind == \"X\"\n")},
		"scorecards/card.rego":     {Data: []byte("package portico.card\n\ndeny := 1\n")},
		"nested/scorecards/x.rego": {Data: []byte("package portico.nested\n\nwarn contains \"y\" if false\n")},
	}
	e, err := New(context.Background(), fsys)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if len(e.sources) != 2 {
		t.Errorf("sources %v, want ok.deny and nested.warn: only the root's scorecards/ is skipped", e.sources)
	}
}
