package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// action is the part of action.yml a runner reads.
type action struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID    string            `yaml:"id"`
			If    string            `yaml:"if"`
			Uses  string            `yaml:"uses"`
			Run   string            `yaml:"run"`
			Shell string            `yaml:"shell"`
			Env   map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

var expr = regexp.MustCompile(`\$\{\{\s*([a-z_.-]+)\s*\}\}`)

// runAction runs the composite action's run steps as a GitHub runner would:
// expressions are expanded only where the runner expands them (env, with),
// scripts run with bash -eo pipefail in the workspace, and outputs are read
// from GITHUB_OUTPUT. uses: steps (setup-go) are skipped: Go is here.
func runAction(t *testing.T, workspace string, inputs map[string]string) (outputs map[string]string, summary string, failed bool) {
	t.Helper()
	root, _ := filepath.Abs("../..")
	var a action
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", a.Runs.Using)
	}
	temp := t.TempDir()
	summaryPath := filepath.Join(temp, "summary.md")
	stepOutputs := map[string]map[string]string{}
	var ctx func(name string) string
	ctx = func(name string) string {
		switch {
		case strings.HasPrefix(name, "inputs."):
			k := strings.TrimPrefix(name, "inputs.")
			if v, ok := inputs[k]; ok {
				return v
			}
			d := a.Inputs[k].Default
			if m := expr.FindStringSubmatch(d); m != nil && m[0] == d {
				return ctx(m[1]) // the runner expands a default's expression
			}
			return d
		case name == "github.token":
			return "workflow-token"
		case name == "github.action_path":
			return root
		case strings.HasPrefix(name, "steps."):
			parts := strings.SplitN(name, ".", 4)
			return stepOutputs[parts[1]][parts[3]]
		}
		t.Fatalf("unknown expression %q", name)
		return ""
	}
	expand := func(s string) string {
		return expr.ReplaceAllStringFunc(s, func(m string) string { return ctx(expr.FindStringSubmatch(m)[1]) })
	}
	for i, st := range a.Runs.Steps {
		if st.Uses != "" || !stepRuns(t, st.If, failed, ctx) {
			continue
		}
		if strings.Contains(st.Run, "${{") {
			t.Errorf("step %d puts an expression inside its run script; inputs must reach scripts through env", i)
		}
		if st.Shell != "bash" {
			t.Errorf("step %d shell = %q, want bash", i, st.Shell)
		}
		outFile := filepath.Join(temp, "output-"+st.ID)
		os.WriteFile(outFile, nil, 0o644)
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", st.Run)
		cmd.Dir = workspace
		cmd.Env = append(os.Environ(), "GITHUB_ACTION_PATH="+root, "GITHUB_OUTPUT="+outFile,
			"GITHUB_STEP_SUMMARY="+summaryPath, "RUNNER_TEMP="+temp, "GITHUB_WORKSPACE="+workspace, "GITHUB_ACTIONS=true")
		for k, v := range st.Env {
			cmd.Env = append(cmd.Env, k+"="+expand(v))
		}
		out, err := cmd.CombinedOutput()
		stepOutputs[st.ID] = readOutputs(t, outFile)
		if err != nil {
			t.Logf("step %d (%s) failed: %v\n%s", i, st.ID, err, out)
			failed = true
		}
	}
	outputs = map[string]string{}
	for k, o := range a.Outputs {
		outputs[k] = expand(o.Value)
	}
	s, _ := os.ReadFile(summaryPath)
	return outputs, string(s), failed
}

// stepRuns evaluates a step's if: as the runner does, for the
// expressions action.yml uses: terms joined by &&, each a status
// function or inputs.NAME == 'value' (case-insensitive, as GitHub
// compares strings). No if: is success().
func stepRuns(t *testing.T, cond string, failed bool, ctx func(string) string) bool {
	t.Helper()
	cond = strings.TrimSpace(cond)
	if m := regexp.MustCompile(`^\$\{\{(.*)\}\}$`).FindStringSubmatch(cond); m != nil {
		cond = m[1]
	}
	if cond == "" {
		return !failed
	}
	eq := regexp.MustCompile(`^(inputs\.[a-z_-]+) == '([^']*)'$`)
	runs, status := true, false
	for _, term := range strings.Split(cond, "&&") {
		term = strings.TrimSpace(term)
		switch m := eq.FindStringSubmatch(term); {
		case term == "!cancelled()" || term == "always()":
			status = true
		case term == "success()":
			status, runs = true, runs && !failed
		case m != nil:
			runs = runs && strings.EqualFold(ctx(m[1]), m[2])
		default:
			t.Fatalf("step condition %q: the test runner does not know %q", cond, term)
		}
	}
	return runs && (status || !failed) // without a status function, success() is implied
}

// readOutputs reads a GITHUB_OUTPUT file: name=value lines and the
// multi-line form, name<<DELIMITER, the value's lines, DELIMITER.
func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	data, _ := os.ReadFile(path)
	m := map[string]string{}
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		if k, delim, ok := strings.Cut(lines[i], "<<"); ok && !strings.Contains(k, "=") {
			end := slices.Index(lines[i+1:], delim)
			if end < 0 {
				t.Fatalf("GITHUB_OUTPUT: %s<<%s never ends", k, delim)
			}
			m[k] = strings.Join(lines[i+1:i+1+end], "\n")
			i += end + 1
			continue
		}
		if k, v, ok := strings.Cut(lines[i], "="); ok {
			m[k] = v
		}
	}
	return m
}

func TestActionReportsFindings(t *testing.T) {
	ws := t.TempDir()
	copyTree(t, "../../testdata/examples", filepath.Join(ws, "repo"))
	outputs, summary, failed := runAction(t, ws, map[string]string{"paths": "repo/web\nrepo/payments"})
	if !failed {
		t.Error("the action passed on a broken descriptor; want the step to fail")
	}
	if outputs["errors"] == "" || outputs["errors"] == "0" {
		t.Errorf("errors output = %q, want a positive count", outputs["errors"])
	}
	if outputs["warnings"] == "" {
		t.Errorf("warnings output missing: %v", outputs)
	}
	if !strings.Contains(summary, "repo/web/catalog-info.yaml") {
		t.Errorf("job summary does not name the broken file:\n%s", summary)
	}
}

func TestActionCleanAndSARIF(t *testing.T) {
	ws := t.TempDir()
	copyTree(t, "../../testdata/examples/payments", filepath.Join(ws, "svc"))
	outputs, _, failed := runAction(t, ws, map[string]string{"paths": "svc", "format": "sarif"})
	if failed {
		t.Fatal("the action failed on clean descriptors")
	}
	if outputs["errors"] != "0" {
		t.Errorf("errors output = %q, want 0", outputs["errors"])
	}
	data, err := os.ReadFile(outputs["report-file"])
	if err != nil || !strings.Contains(string(data), `"version":"2.1.0"`) && !strings.Contains(string(data), `"version": "2.1.0"`) {
		t.Errorf("report-file %q is not a SARIF 2.1.0 log: %v", outputs["report-file"], err)
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestActionChecksReferencesAgainstTheCatalog records the platform team's
// entities in a central catalog with `portico catalog sync`, then runs the
// action on a service that names its owner (in the catalog) and a system
// that exists nowhere: only the latter is reported.
func TestActionChecksReferencesAgainstTheCatalog(t *testing.T) {
	ws := t.TempDir()
	src := filepath.Join(ws, "platform")
	copyTree(t, "../../testdata/examples/platform", src)
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "."}, {"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "platform"},
		{"remote", "add", "origin", "https://github.com/acme/platform"}} {
		if out, err := exec.Command("git", append([]string{"-C", src}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if out, err := exec.Command(binary, "catalog", "sync", "--central", filepath.Join(ws, "central.git"), src).CombinedOutput(); err != nil {
		t.Fatalf("catalog sync: %v\n%s", err, out)
	}
	svc := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: billing\n  description: Bills.\n  tags: [go]\nspec:\n  type: service\n  lifecycle: experimental\n  owner: team-payments\n  system: ghost\n"
	must(t, os.MkdirAll(filepath.Join(ws, "svc"), 0o755))
	must(t, os.WriteFile(filepath.Join(ws, "svc", "catalog-info.yaml"), []byte(svc), 0o644))

	without, _, failed := runAction(t, ws, map[string]string{"paths": "svc"})
	with, summary, failedWith := runAction(t, ws, map[string]string{"paths": "svc", "catalog": "central.git"})
	if failed || failedWith {
		t.Fatalf("the action failed on warnings only (without catalog: %v, with: %v)", failed, failedWith)
	}
	if without["warnings"] == "" || with["warnings"] == without["warnings"] {
		t.Errorf("warnings without the catalog %q, with it %q: want one more (the ghost system)", without["warnings"], with["warnings"])
	}
	if !strings.Contains(summary, "catalog/reference") || !strings.Contains(summary, "ghost") || strings.Contains(summary, "team-payments,") {
		t.Errorf("summary does not report exactly the unknown system:\n%s", summary)
	}
}
