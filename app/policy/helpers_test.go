package policy

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/policies"
)

// parseOne parses a single-document descriptor that must parse cleanly.
func parseOne(t testing.TB, src string) *descriptor.Document {
	t.Helper()
	f := descriptor.Parse([]byte(src), 0)
	if len(f.Findings) > 0 || len(f.Documents) != 1 || f.Documents[0].Root == nil {
		t.Fatalf("fixture does not parse: %+v", f)
	}
	return f.Documents[0]
}

func defaultEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := New(context.Background(), policies.FS)
	if err != nil {
		t.Fatalf("New(default bundle): %v", err)
	}
	return e
}

// bundle builds an in-memory policy directory from file name/source pairs.
func bundle(files ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i+1 < len(files); i += 2 {
		fsys[files[i]] = &fstest.MapFile{Data: []byte(files[i+1])}
	}
	return fsys
}
