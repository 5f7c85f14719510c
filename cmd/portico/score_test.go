package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// service is a Component of type service; extra lines go under metadata.
func service(name, owner, metadata, spec string) string {
	return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name + "\n" + metadata +
		"spec:\n  type: service\n  lifecycle: production\n  owner: " + owner + "\n" + spec
}

// checkout makes a Git repository at dir holding files, committed, and
// then writes untracked, which Git does not track.
func checkout(t *testing.T, dir string, files, untracked map[string]string) {
	t.Helper()
	write(t, dir, files)
	gitIn(t, dir, "init", "-q", "-b", "main")
	gitIn(t, dir, "add", ".")
	gitIn(t, dir, "commit", "-q", "-m", "init")
	write(t, dir, untracked)
}

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// checkouts is a directory of clones as a platform engineer has them:
// a gold service, a bronze one whose CODEOWNERS is not committed yet, a
// service owned by a person with nothing else, and a prototype that is
// no Git repository.
func checkouts(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	checkout(t, filepath.Join(root, "payments"), map[string]string{
		"catalog-info.yaml": service("payments", "team-payments",
			"  description: Takes card payments.\n  annotations:\n    backstage.io/techdocs-ref: dir:.\n  links:\n    - title: Runbook\n      url: https://wiki.example.com/payments\n",
			"  system: checkout\n"),
		"README.md": "# payments\n", ".github/CODEOWNERS": "* @acme/payments\n", ".github/workflows/ci.yml": "on: push\n",
		"mkdocs.yml": "site_name: payments\n", "SECURITY.md": "mail security@\n", "internal/pay_test.go": "package pay\n",
	}, nil)
	checkout(t, filepath.Join(root, "orders"), map[string]string{
		"catalog-info.yaml": service("orders", "group:team-orders", "  description: Takes orders.\n", ""),
		"README.md":         "# orders\n",
	}, map[string]string{"CODEOWNERS": "* @acme/orders\n", ".github/workflows/ci.yml": "on: push\n"})
	checkout(t, filepath.Join(root, "legacy"), map[string]string{
		"catalog-info.yaml": service("legacy", "user:jane", "", ""),
	}, nil)
	write(t, filepath.Join(root, "prototype"), map[string]string{
		"catalog-info.yaml":     service("prototype", "team-labs", "  description: Tries ideas.\n", ""),
		"README.md":             "# prototype\n",
		"node_modules/x/a.test": "",
	})
	return root
}

// runIn runs the binary in dir.
func runIn(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run portico: %v", err)
	}
	return o.String(), e.String(), code
}

// A new user runs portico score over their checkouts: each service gets
// its level and the rules to fix for the next one, in every format.
func TestScoreCheckouts(t *testing.T) {
	t.Parallel()
	root := checkouts(t)
	for _, format := range []string{"text", "json", "markdown"} {
		out, stderr, code := runIn(t, root, "score", "--format", format)
		if code != 0 {
			t.Errorf("%s: exit %d, stderr %s", format, code, stderr)
		}
		golden(t, "score."+format+".golden", out)
	}
	out, _, _ := runIn(t, root, "score", "--format", "json", ".")
	var rep struct {
		Entities []struct {
			Ref        string
			Scorecards []struct {
				ID    string `json:"id"`
				Level string `json:"level"`
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"component:default/payments":  "gold",
		"component:default/orders":    "bronze", // its CODEOWNERS and workflow are not committed
		"component:default/legacy":    "none",
		"component:default/prototype": "bronze", // no repository: the files on disk
	}
	for _, e := range rep.Entities {
		for _, s := range e.Scorecards {
			if s.ID == "production-readiness" && s.Level != want[e.Ref] {
				t.Errorf("%s is %s, want %s", e.Ref, s.Level, want[e.Ref])
			}
		}
	}
}

func TestScoreFailBelow(t *testing.T) {
	t.Parallel()
	root := checkouts(t)
	cases := []struct {
		args []string
		code int
	}{
		{[]string{"payments"}, 0},
		{[]string{"--fail-below", "gold", "payments"}, 0},
		{[]string{"--fail-below", "silver", "payments", "orders"}, 1},
		{[]string{"--fail-below", "production-readiness:bronze", "orders", "prototype"}, 0},
		{[]string{"--fail-below", "bronze", "."}, 1},
		{[]string{"--fail-below", "platinum", "."}, 2},
		{[]string{"--format", "html", "."}, 2},
		{[]string{"missing"}, 2},
	}
	for _, c := range cases {
		if _, stderr, code := runIn(t, root, append([]string{"score"}, c.args...)...); code != c.code {
			t.Errorf("score %q: exit %d, want %d (stderr %s)", c.args, code, c.code, stderr)
		}
	}
}

// --scorecards replaces the defaults. A malformed scorecard is refused
// with its file and line; one that fails at evaluation is reported as an
// error of that scorecard, and the others still score.
func TestScoreOwnScorecards(t *testing.T) {
	t.Parallel()
	root := checkouts(t)
	cards := filepath.Join(t.TempDir(), "scorecards")
	good := `package portico.scorecards.basics

scorecard := {
	"title": "Basics",
	"levels": ["ok"],
	"rules": {"readme": {"title": "README", "level": "ok", "weight": 1, "needs": ["files"], "message": "add a README"}},
}

pass contains "readme" if "README.md" in input.repository.files
`
	broken := "package portico.scorecards.broken\n\nscorecard := {\"title\": \"Broken\", \"levels\": [\"ok\"], \"rules\": {\"x\": {\"title\": \"X\", \"level\": \"ok\", \"weight\": 1, \"message\": \"m\"}}}\n\nv := 1 if true\n\nv := 2 if true\n\npass contains \"x\" if v == 1\n"
	write(t, cards, map[string]string{"basics.rego": good, "broken.rego": broken})
	out, stderr, code := runIn(t, root, "score", "--scorecards", cards, "--format", "json", "orders", "legacy")
	if code != 2 {
		t.Errorf("exit %d, want 2 for a scorecard that fails; stderr %s", code, stderr)
	}
	for _, want := range []string{`"id":"basics","title":"Basics","level":"ok"`, `"id":"basics","title":"Basics","level":"none"`,
		`"id":"broken","title":"Broken","level":null`, `"error":"scorecard broken (data.portico.scorecards.broken): evaluate: broken.rego:`} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "production-readiness") {
		t.Error("--scorecards did not replace the defaults")
	}
	write(t, cards, map[string]string{"broken.rego": strings.Replace(broken, `"weight": 1`, `"weight": "heavy"`, 1)})
	_, stderr, code = runIn(t, root, "score", "--scorecards", cards, "orders")
	if code != 2 || !strings.Contains(stderr, "broken.rego:3: scorecard: rules.x.weight must be a whole number") {
		t.Errorf("malformed scorecard: exit %d, stderr %s", code, stderr)
	}
}

// `portico policy test DIR` runs the tests of DIR/scorecards too: the
// policy engine leaves that directory out, its tests must not be.
func TestPolicyTestRunsScorecardTests(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	card := `package portico.scorecards.basics

scorecard := {
	"title": "Basics",
	"levels": ["ok"],
	"rules": {"readme": {"title": "README", "level": "ok", "weight": 1, "message": "add a README"}},
}

pass contains "readme" if "README.md" in input.repository.files
`
	test := "package portico.scorecards.basics_test\n\nimport data.portico.scorecards.basics\n\ntest_readme if {\n\t\"readme\" in basics.pass with input as {\"repository\": {\"files\": [\"README\"]}}\n}\n"
	write(t, dir, map[string]string{"scorecards/basics.rego": card, "scorecards/basics_test.rego": test})
	stdout, stderr, code := runIn(t, dir, "policy", "test", ".")
	if code != 1 || !strings.Contains(stdout, "FAIL  basics_test.rego:5 data.portico.scorecards.basics_test.test_readme") {
		t.Errorf("exit %d, want 1 and the scorecard's failing test\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	stdout, _, code = runIn(t, dir, "policy", "test")
	if code != 0 || !strings.Contains(stdout, "test_weights_total_sixteen") {
		t.Errorf("the embedded bundle: exit %d, want 0 with the default scorecards' tests\n%s", code, stdout)
	}
}

// With --catalog a bare owner name counts as a group only when the
// central catalog has that group.
func TestScoreWithCatalog(t *testing.T) {
	t.Parallel()
	root := checkouts(t)
	other := t.TempDir()
	group := func(name string) string {
		return "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: " + name + "\nspec:\n  type: team\n  children: []\n"
	}
	checkout(t, filepath.Join(other, "platform"), map[string]string{"catalog-info.yaml": group("team-orders")}, nil)
	central := filepath.Join(other, "central.git")
	if _, stderr, code := runIn(t, other, "catalog", "sync", "--central", central, "platform"); code != 0 {
		t.Fatalf("catalog sync: exit %d: %s", code, stderr)
	}
	level := func() string {
		out, stderr, code := runIn(t, root, "score", "--format", "json", "--catalog", central, "payments")
		if code != 0 {
			t.Fatalf("score: exit %d: %s", code, stderr)
		}
		var rep struct {
			Entities []struct {
				Scorecards []struct{ ID, Level string }
			}
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		for _, s := range rep.Entities[0].Scorecards {
			if s.ID == "production-readiness" {
				return s.Level
			}
		}
		return ""
	}
	if got := level(); got != "none" {
		t.Errorf("payments, owned by team-payments, which the catalog lacks: %s, want none", got)
	}
	write(t, filepath.Join(other, "platform"), map[string]string{"catalog-info.yaml": group("team-orders") + "---\n" + group("team-payments")})
	gitIn(t, filepath.Join(other, "platform"), "commit", "-qam", "team-payments")
	if _, stderr, code := runIn(t, other, "catalog", "sync", "--central", central, "platform"); code != 0 {
		t.Fatalf("catalog sync: exit %d: %s", code, stderr)
	}
	if got := level(); got != "gold" {
		t.Errorf("payments, once the catalog has team-payments: %s, want gold", got)
	}
}
