package scorecard

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/policies"
)

func defaultEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := New(context.Background(), policies.ScorecardsFS)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func engineOf(t testing.TB, files map[string]string) *Engine {
	t.Helper()
	e, err := New(context.Background(), mapFS(files))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	return fsys
}

func parseOne(t testing.TB, src string) *descriptor.Document {
	t.Helper()
	f := descriptor.Parse([]byte(src), 0)
	if len(f.Documents) != 1 || f.Documents[0].Root == nil {
		t.Fatalf("parse %q: %+v", src, f)
	}
	return f.Documents[0]
}

// statuses maps rule ids to their status in r.
func statuses(r Result) map[string]Status {
	m := map[string]Status{}
	for _, rr := range r.Rules {
		m[rr.ID] = rr.Status
	}
	return m
}
