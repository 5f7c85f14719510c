package cli

import (
	"context"
	"io"
	"strings"
	"testing"
)

// TestDevLoadScenario runs the smallest burst in process: a fake GitHub,
// portico, two pull requests, and a report of their checks.
func TestDevLoadScenario(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	code, err := runDevCmd(context.Background(), []string{"load", "--scenario", "burst", "--count", "2"}, IO{Out: &out, Err: io.Discard})
	if err != nil || code != ExitOK {
		t.Fatalf("exit %d, %v", code, err)
	}
	if got := out.String(); !strings.Contains(got, "burst of 2 pull requests: 2 checks") || !strings.Contains(got, "2 writes (1.00 a check)") {
		t.Errorf("report:\n%s", got)
	}
}

func TestDevLoadRefusesUnknownScenario(t *testing.T) {
	t.Parallel()
	code, err := runDevCmd(context.Background(), []string{"load", "--scenario", "stampede"}, IO{Out: io.Discard, Err: io.Discard})
	if code != ExitUsage || err == nil || !strings.Contains(err.Error(), "stampede") {
		t.Errorf("exit %d, %v; want a usage error naming the scenario", code, err)
	}
}
