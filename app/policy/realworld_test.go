package policy_test

import (
	"bufio"
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/policy"
	"github.com/portico-dev/portico/app/report"
	"github.com/portico-dev/portico/app/validate"
	"github.com/portico-dev/portico/policies"
)

// repoRoot is the repository, seen from this package.
const repoRoot = "../.."

// verdict is one line of testdata/realworld/verdicts.jsonl: Backstage's
// own verdict on one document of the real-world corpus.
type verdict struct {
	File  string `json:"file"`
	Doc   int    `json:"doc"`
	Valid bool   `json:"valid"`
}

type docKey struct {
	file string
	doc  int
}

// TestDefaultBundleOnRealRepositories runs the default bundle through the
// CLI's pipeline over the real-world corpus: a document that Backstage
// accepts must get no error that the policies add, or an organisation
// installing portico would see pull requests fail that its portal takes.
func TestDefaultBundleOnRealRepositories(t *testing.T) {
	t.Parallel()
	accepted, files := readVerdicts(t)
	eng, err := policy.New(context.Background(), policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	withPolicy := runCorpus(t, validate.NewChecker(eng, 0), files)
	backstageOnly := runCorpus(t, validate.NewChecker(nil, 0), files)
	checked, warnings := 0, map[string]int{}
	for key := range accepted {
		docs, ok := withPolicy[key]
		if !ok {
			continue // not reported as a document: a skeleton, say
		}
		checked++
		before := errorSet(backstageOnly[key])
		for _, f := range docs {
			if f.Severity == descriptor.SeverityWarning {
				warnings[f.Rule]++
			} else if !before[f] {
				t.Errorf("%s document %d: Backstage accepts it, the default policies add %s %s: %s", key.file, key.doc, f.Severity, f.Rule, f.Message)
			}
		}
	}
	// The corpus has 529 accepted documents; most must have been checked,
	// or this test proves nothing.
	if checked < len(accepted)*9/10 {
		t.Errorf("checked %d of the %d documents Backstage accepts", checked, len(accepted))
	}
	for _, rule := range slices.Sorted(maps.Keys(warnings)) {
		t.Logf("%-32s %4d warnings", rule, warnings[rule])
	}
	t.Logf("%d accepted documents checked", checked)
}

// readVerdicts returns the documents Backstage accepts and every file of
// the corpus.
func readVerdicts(t *testing.T) (map[docKey]bool, []string) {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, "testdata/realworld/verdicts.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	accepted := map[docKey]bool{}
	seen := map[string]bool{}
	var files []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var v verdict
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("verdicts.jsonl: %v", err)
		}
		if v.Valid {
			accepted[docKey{v.File, v.Doc}] = true
		}
		if !seen[v.File] {
			seen[v.File] = true
			files = append(files, filepath.Join(repoRoot, v.File))
		}
	}
	if err := sc.Err(); err != nil || len(accepted) == 0 {
		t.Fatalf("verdicts.jsonl: %v, %d accepted documents", err, len(accepted))
	}
	return accepted, files
}

// runCorpus checks files as `portico validate FILE...` does and returns
// each document's findings by file (as verdicts.jsonl names it) and index.
func runCorpus(t *testing.T, c *validate.Checker, files []string) map[docKey][]descriptor.Finding {
	t.Helper()
	w := &collector{docs: map[docKey][]descriptor.Finding{}}
	if _, err := validate.Run(context.Background(), c, files, w, validate.Options{}); err != nil {
		t.Fatal(err)
	}
	return w.docs
}

// collector is a report.Writer that keeps the findings in memory.
type collector struct {
	docs map[docKey][]descriptor.Finding
}

func (c *collector) File(f *report.File) error {
	rel, err := filepath.Rel(repoRoot, f.Path)
	if err != nil {
		return err
	}
	for _, d := range f.Documents {
		if d.Index > 0 {
			c.docs[docKey{filepath.ToSlash(rel), d.Index}] = d.Findings
		}
	}
	return nil
}

func (c *collector) Close(report.Summary) error { return nil }

func errorSet(fs []descriptor.Finding) map[descriptor.Finding]bool {
	out := map[descriptor.Finding]bool{}
	for _, f := range fs {
		if f.Severity == descriptor.SeverityError {
			out[f] = true
		}
	}
	return out
}
