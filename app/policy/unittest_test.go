package policy

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/portico-dev/portico/policies"
)

// The default bundle's Rego unit tests run as part of go test.
func TestRunTestsDefaultBundle(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	passed, failed, err := RunTests(context.Background(), policies.FS, &out)
	if err != nil {
		t.Fatal(err)
	}
	if failed != 0 || passed < 25 {
		t.Errorf("passed %d, failed %d; output:\n%s", passed, failed, &out)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != passed+1 || !strings.HasPrefix(lines[len(lines)-1], "PASS: ") {
		t.Errorf("want one line per test and a summary, got:\n%s", &out)
	}
}

const failingTests = `package portico.a_test

import data.portico.a

test_passes if {
	count(a.deny) == 1 with input as {"kind": "Component"}
}

test_fails if {
	some f in a.deny with input as {"kind": "Component"}
	print("got", f)
	f == "something else"
}

conflict := x if some x in [1, 2]

test_errs if {
	conflict == 1
}

todo_test_later if false
`

func TestRunTestsReportsFailures(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.rego"), "package portico.a\n\ndeny contains \"found\" if input.kind == \"Component\"\n")
	writeFile(t, filepath.Join(dir, "tests", "a_test.rego"), failingTests)
	var out bytes.Buffer
	passed, failed, err := RunTests(context.Background(), os.DirFS(dir), &out)
	if err != nil {
		t.Fatal(err)
	}
	if passed != 1 || failed != 2 {
		t.Errorf("passed %d, failed %d, want 1 and 2", passed, failed)
	}
	for _, want := range []string{
		`(?m)^PASS  tests/a_test.rego:5 data.portico.a_test.test_passes \(`,
		`(?m)^FAIL  tests/a_test.rego:9 data.portico.a_test.test_fails \(`,
		`(?m)^      failed at tests/a_test.rego:12:\n        f == "something else"`,
		`(?m)^      output:\n        got found$`,
		`(?m)^ERROR tests/a_test.rego:17 data.portico.a_test.test_errs \(.*\n      error: tests/a_test.rego:15: eval_conflict_error`,
		`(?m)^SKIP  tests/a_test.rego:21 data.portico.a_test.todo_test_later`,
		`(?m)^FAIL: 1 passed, 2 failed, 4 total$`,
	} {
		if !regexp.MustCompile(want).MatchString(out.String()) {
			t.Errorf("output lacks %s:\n%s", want, &out)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRunTestsFilterAndCompileError(t *testing.T) {
	t.Parallel()
	fsys := bundle(
		"a.rego", "package portico.a\n\ndeny contains \"found\" if input.kind == \"Component\"\n",
		"a_test.rego", failingTests,
	)
	var out bytes.Buffer
	passed, failed, err := RunTests(context.Background(), fsys, &out, MatchTests("test_passes$"))
	if err != nil || passed != 1 || failed != 0 {
		t.Errorf("filtered run: passed %d, failed %d, err %v; output:\n%s", passed, failed, err, &out)
	}
	broken := bundle("b_test.rego", "package portico.b_test\n\ntest_x if {\n\ty == 1\n}\n")
	if _, _, err := RunTests(context.Background(), broken, &out); err == nil || !strings.Contains(err.Error(), "b_test.rego:4") {
		t.Errorf("compile error = %v, want one naming b_test.rego:4", err)
	}
	complete := bundle("c.rego", "package portico.c\n\ndeny := {\"m\"}\n", "c_test.rego", "package portico.c_test\n\ntest_x if true\n")
	if _, _, err := RunTests(context.Background(), complete, &out); err == nil || !strings.Contains(err.Error(), "c.rego:3: deny must be a partial set") {
		t.Errorf("shape error = %v, want one naming c.rego:3", err)
	}
}

// What `opa test` does that the bundle's tests may rely on: tests in
// policy files run too, two tests of one name both run, `with` replaces
// input and data, and a test rule that is not true fails.
func TestRunTestsSemantics(t *testing.T) {
	t.Parallel()
	fsys := bundle(
		"a.rego", "package portico.a\n\nlimit := 2\n\ndeny contains \"too many\" if count(input.items) > limit\n\ntest_in_policy_file if true\n",
		"a_test.rego", `package portico.a_test

import data.portico.a

test_twice if {
	count(a.deny) == 1 with input as {"items": [1, 2, 3]}
}

test_twice if {
	count(a.deny) == 1 with input as {"items": [1]}
}

test_with_data if {
	count(a.deny) == 0 with input as {"items": [1, 2, 3]} with a.limit as 5
}

test_not_boolean := 3

test_cases[name] if {
	some name in ["one"]
}
`)
	var out bytes.Buffer
	passed, failed, err := RunTests(context.Background(), fsys, &out)
	if err != nil {
		t.Fatal(err)
	}
	if passed != 3 || failed != 3 {
		t.Errorf("passed %d, failed %d, want 3 and 3; output:\n%s", passed, failed, &out)
	}
	for _, want := range []string{
		`(?m)^PASS  a.rego:7 data.portico.a.test_in_policy_file `,
		`(?m)^PASS  a_test.rego:5 data.portico.a_test.test_twice `,
		`(?m)^FAIL  a_test.rego:9 data.portico.a_test.test_twice#01 \(.*\n      failed at a_test.rego:10:\n        count\(`,
		`(?m)^PASS  a_test.rego:13 data.portico.a_test.test_with_data `,
		`(?m)^FAIL  a_test.rego:17 data.portico.a_test.test_not_boolean `,
		`(?m)^ERROR a_test.rego:19 data.portico.a_test.test_cases .*\n      error: a_test.rego:19: parameterised tests`,
	} {
		if !regexp.MustCompile(want).MatchString(out.String()) {
			t.Errorf("output lacks %s:\n%s", want, &out)
		}
	}
}

// A test that loops is stopped, reported as an error, and the run goes on.
func TestRunTestsTimeout(t *testing.T) {
	t.Parallel()
	fsys := bundle(
		"slow.rego", loopPolicy,
		"slow_test.rego", "package portico.slow_test\n\nimport data.portico.slow\n\ntest_loops if {\n\tcount(slow.deny) == 0 with input as {\"kind\": \"Component\"}\n}\n\ntest_quick if true\n",
	)
	var out bytes.Buffer
	passed, failed, err := RunTests(context.Background(), fsys, &out, WithTestTimeout(100*time.Millisecond))
	if err != nil || passed != 1 || failed != 1 || !strings.Contains(out.String(), "ERROR slow_test.rego:5 data.portico.slow_test.test_loops") {
		t.Errorf("passed %d, failed %d, err %v; output:\n%s", passed, failed, err, &out)
	}
}
