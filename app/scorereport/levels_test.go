package scorereport

import (
	"bytes"
	"testing"
)

// TestWriteLevels pins the levels shape: one line (GITHUB_OUTPUT reads
// it), keyed by ref then scorecard, "error" for a failed evaluation, and
// no entry for an entity no scorecard applies to.
func TestWriteLevels(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteLevels(&b, sample()); err != nil {
		t.Fatal(err)
	}
	want := `{"component:default/legacy":{"documentation":"error","production-readiness":"none"},"component:default/payments":{"documentation":"complete","production-readiness":"silver"}}` + "\n"
	if b.String() != want {
		t.Errorf("levels\n got %s\nwant %s", b.String(), want)
	}
	b.Reset()
	if err := WriteLevels(&b, nil); err != nil || b.String() != "{}\n" {
		t.Errorf("no entities: %q, %v; want {}", b.String(), err)
	}
}
