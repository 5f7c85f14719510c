package scorecard

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/policy"
)

// The complete example in policies/README.md loads, and its test passes:
// the documentation shows a scorecard that works.
func TestReadmeExample(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("../../policies/README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(src), "### Writing a scorecard")
	if !ok {
		t.Fatal("policies/README.md has no section Writing a scorecard")
	}
	blocks := regoBlocks(section)
	if len(blocks) < 2 {
		t.Fatalf("found %d rego blocks, want the scorecard and its test", len(blocks))
	}
	fsys := mapFS(map[string]string{"api_quality.rego": blocks[0], "api_quality_test.rego": blocks[1]})
	e, err := New(context.Background(), fsys)
	if err != nil {
		t.Fatalf("the README's scorecard does not load: %v", err)
	}
	if got := e.Scorecards(); len(got) != 1 || got[0].ID != "api-quality" {
		t.Errorf("scorecards %+v, want api-quality", got)
	}
	var out bytes.Buffer
	if passed, failed, err := policy.RunTests(context.Background(), fsys, &out); err != nil || passed != 1 || failed != 0 {
		t.Errorf("the README's test: %d passed, %d failed, %v\n%s", passed, failed, err, out.String())
	}
}

func regoBlocks(md string) []string {
	var out []string
	for {
		_, rest, ok := strings.Cut(md, "```rego\n")
		if !ok {
			return out
		}
		block, after, _ := strings.Cut(rest, "```")
		out = append(out, block)
		md = after
	}
}
