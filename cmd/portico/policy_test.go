package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// policyDir writes a policy bundle to a temporary directory.
func policyDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const userOwned = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web
spec:
  type: website
  lifecycle: experimental
  owner: user:jane
`

// A policy that would fetch an internal address is refused at load, with
// its file and line, unless the operator allows http.send by name.
func TestValidatePolicyRefusesNetwork(t *testing.T) {
	t.Parallel()
	dir := policyDir(t, map[string]string{"ssrf.rego": `package portico.ssrf

warn contains msg if {
	msg := http.send({"method": "GET", "url": "http://169.254.169.254/latest/meta-data/"}).raw_body
}
`})
	_, stderr, code := run(t, userOwned, nil, "validate", "--policy", dir, "-")
	if code != 2 || !strings.Contains(stderr, "ssrf.rego:4: http.send is not allowed") || !strings.Contains(stderr, "PORTICO_POLICY_ALLOW_BUILTINS") {
		t.Errorf("exit %d, stderr %q; want 2 and the use at ssrf.rego:4 with how to allow it", code, stderr)
	}
	_, stderr, code = run(t, "", nil, "policy", "test", dir)
	if code != 2 || !strings.Contains(stderr, "ssrf.rego:4: http.send is not allowed") {
		t.Errorf("policy test: exit %d, stderr %q; want 2 naming ssrf.rego:4", code, stderr)
	}
	// Allowed, the bundle loads (the request itself is not made here: the
	// document is read from stdin with a kind the policy does not need).
	_, stderr, code = run(t, "", []string{"PORTICO_POLICY_ALLOW_BUILTINS=http.send"}, "policy", "test", dir)
	if strings.Contains(stderr, "not allowed") || code != 3 {
		t.Errorf("with http.send allowed: exit %d, stderr %q; want the bundle loaded and nothing to test", code, stderr)
	}
}

func TestPolicyDirectoryWithoutRego(t *testing.T) {
	t.Parallel()
	dir := policyDir(t, map[string]string{"README.md": "# our policies\n", "old/a_test.rego": "package portico.a_test\n\ntest_a if true\n"})
	_, stderr, code := run(t, userOwned, nil, "validate", "--policy", dir, "-")
	if code != 2 || !strings.Contains(stderr, "no .rego policy file") {
		t.Errorf("validate: exit %d, stderr %q; want 2 and why", code, stderr)
	}
	empty := policyDir(t, map[string]string{"README.md": "# our policies\n"})
	_, stderr, code = run(t, "", nil, "policy", "test", empty)
	if code != 3 || !strings.Contains(stderr, "no .rego file in "+empty) {
		t.Errorf("policy test: exit %d, stderr %q; want 3 and why", code, stderr)
	}
}

func TestPolicyTestDefaultBundle(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := run(t, "", nil, "policy", "test")
	if code != 0 || !strings.Contains(stdout, "PASS: ") || strings.Contains(stdout, "FAIL") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// A policy that loops is stopped after the evaluation timeout and shows
// as a policy/error finding on the document; the run goes on.
func TestValidatePolicyTimeout(t *testing.T) {
	t.Parallel()
	dir := policyDir(t, map[string]string{"slow.rego": `package portico.slow

deny contains "never" if {
	some i in numbers.range(1, 5000)
	some j in numbers.range(1, 5000)
	some k in numbers.range(1, 5000)
	i + j + k < 0
}
`})
	stdout, stderr, code := run(t, userOwned, []string{"PORTICO_POLICY_EVAL_TIMEOUT=100ms"}, "validate", "--policy", dir, "-")
	if code != 1 || !strings.Contains(stdout, "error policy/error") || !strings.Contains(stdout, "policy.eval_timeout") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant exit 1 and a policy/error finding naming the timeout", code, stdout, stderr)
	}
}

// Out of the box the default rules warn; an organisation raises the ones
// it enforces.
func TestValidateSeverityFromEnvironment(t *testing.T) {
	t.Parallel()
	stdout, _, code := run(t, userOwned, nil, "validate", "-")
	if code != 0 || !strings.Contains(stdout, "warning portico/owner-group") {
		t.Errorf("defaults: exit %d, stdout:\n%s\nwant 0 with a warning", code, stdout)
	}
	stdout, _, code = run(t, userOwned, []string{"PORTICO_POLICY_SEVERITY=portico/owner-group=error,portico/description=off"}, "validate", "-")
	if code != 1 || !strings.Contains(stdout, "error portico/owner-group") || strings.Contains(stdout, "portico/description") {
		t.Errorf("raised: exit %d, stdout:\n%s\nwant 1 with owner-group an error and description off", code, stdout)
	}
}

// The production binary links no test code: not the testing package, and
// not its helpers (testing/fstest and the like).
func TestBinaryLinksNoTesting(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for pkg := range strings.Lines(string(out)) {
		pkg = strings.TrimSpace(pkg)
		if pkg == "testing" || strings.HasPrefix(pkg, "testing/") {
			t.Errorf("cmd/portico depends on %s; find the importer with: go list -deps -f '{{.ImportPath}}: {{.Imports}}' ./cmd/portico | grep %s", pkg, pkg)
		}
	}
}
