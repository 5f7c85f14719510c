package cli

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/templating"
	"github.com/portico-dev/portico/app/tree"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// gitIn runs git in dir with a fixed identity and no user configuration.
func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// copyDir copies the files of src into dst, keeping the executable bit.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// edit rewrites a file of dir by replacing old with new, failing when old
// is not there.
func edit(t *testing.T, dir, name, old, new string) {
	t.Helper()
	p := filepath.Join(dir, name)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s does not hold %q:\n%s", name, old, data)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

const serviceDir = "templates/service"

// platformRepo is a platform configuration's Git checkout: the testdata
// service template at 1.0.0 (commit a), then at 1.1.0 (commit b), with
// next applied to the working tree before b is committed. The checkout is
// left at b.
func platformRepo(t *testing.T, next func(t *testing.T, dir string)) (dir, a, b string) {
	t.Helper()
	dir = t.TempDir()
	copyDir(t, templatePlatform, dir)
	edit(t, dir, serviceDir+"/template.yaml", "template-version: 1.2.0", "template-version: 1.0.0")
	gitIn(t, dir, "init", "-q", "-b", "main")
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-q", "-m", "service 1.0.0")
	a = gitIn(t, dir, "rev-parse", "HEAD")
	edit(t, dir, serviceDir+"/template.yaml", "template-version: 1.0.0", "template-version: 1.1.0")
	next(t, dir)
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-q", "-m", "service 1.1.0")
	b = gitIn(t, dir, "rev-parse", "HEAD")
	return dir, a, b
}

// service110 is the template's change from 1.0.0 to 1.1.0: a changed
// line in README.md and catalog-info.yaml, a new Makefile, docs removed.
func service110(t *testing.T, dir string) {
	skel := filepath.Join(dir, serviceDir, "skeleton")
	must(t, os.WriteFile(filepath.Join(skel, "README.md"),
		[]byte("# ${{ values.name }}\n\n${{ values.description }} Listens on port ${{ values.port }} (HTTP).\n"), 0o644))
	data, _ := os.ReadFile(filepath.Join(skel, "catalog-info.yaml"))
	must(t, os.WriteFile(filepath.Join(skel, "catalog-info.yaml"), []byte(strings.Replace(string(data), "experimental", "production", 1)), 0o644))
	must(t, os.WriteFile(filepath.Join(skel, "Makefile"), []byte("run:\n\tgo run .\n"), 0o644))
	must(t, os.RemoveAll(filepath.Join(skel, "docs")))
}

// generated renders the service template at commit a of the platform into
// a new checkout, as `portico template render` does for a new repository.
func generated(t *testing.T, platform, a string) string {
	t.Helper()
	head := gitIn(t, platform, "rev-parse", "HEAD")
	gitIn(t, platform, "checkout", "-q", a)
	defer gitIn(t, platform, "checkout", "-q", head)
	out := filepath.Join(t.TempDir(), "payments")
	values := writeValues(t, "name: payments\nowner: group:payments\n")
	if code, _, errs := runCLI(t, "template", "render", "service", "--values", values, "--out", out, "--templates", platform); code != ExitOK {
		t.Fatalf("render at %s: code %d, %s", a, code, errs)
	}
	return out
}

func answersIn(t *testing.T, repo string) *templating.Answers {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repo, templating.AnswersPath))
	if err != nil {
		t.Fatal(err)
	}
	a, err := templating.ParseAnswers(data)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestTemplateUpgradeMergesTheOwnersChanges(t *testing.T) {
	t.Parallel()
	platform, a, b := platformRepo(t, service110)
	repo := generated(t, platform, a)
	if got := answersIn(t, repo); got.Version != "1.0.0" || got.PlatformCommit != a {
		t.Fatalf("rendered answers = %+v, want 1.0.0 at %s", got, a)
	}
	edit(t, repo, "README.md", "# payments\n", "# payments, run by the payments team\n")
	must(t, os.WriteFile(filepath.Join(repo, "main.go"), []byte("package main\n"), 0o644))

	code, out, errs := runCLI(t, "template", "upgrade", "--templates", platform, repo)
	if code != ExitOK {
		t.Fatalf("code %d, stdout:\n%s\nstderr: %s", code, out, errs)
	}
	got := readTree(t, repo)
	if readme := string(got["README.md"].Data); readme != "# payments, run by the payments team\n\n"+
		"A service generated from the service template. Listens on port 8080 (HTTP).\n" {
		t.Errorf("README.md did not merge both sides:\n%s", readme)
	}
	if !strings.Contains(string(got["catalog-info.yaml"].Data), "lifecycle: production") {
		t.Errorf("catalog-info.yaml:\n%s", got["catalog-info.yaml"].Data)
	}
	if string(got["Makefile"].Data) != "run:\n\tgo run .\n" || string(got["main.go"].Data) != "package main\n" {
		t.Errorf("Makefile %q, main.go %q", got["Makefile"].Data, got["main.go"].Data)
	}
	if _, err := os.Stat(filepath.Join(repo, "docs")); !os.IsNotExist(err) {
		t.Errorf("docs/ (its only file removed by the template) is still there: %v", err)
	}
	if got["check.sh"].Mode != tree.Executable {
		t.Errorf("check.sh lost its executable bit: %v", got["check.sh"].Mode)
	}
	if ans := answersIn(t, repo); ans.Version != "1.1.0" || ans.PlatformCommit != b || ans.Values["name"] != "payments" {
		t.Errorf("answers = %+v, want 1.1.0 at %s", ans, b)
	}
	golden(t, "template_upgrade.golden", strings.ReplaceAll(out, repo, "REPO"))

	code, out, _ = runCLI(t, "template", "upgrade", "--templates", platform, repo)
	if code != ExitOK || !strings.Contains(out, "already at service 1.1.0: nothing to upgrade") {
		t.Errorf("second upgrade: code %d, %s", code, out)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		must(t, os.MkdirAll("testdata", 0o755))
		must(t, os.WriteFile(p, []byte(got), 0o644))
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output:\n%s\nwant (%s, -update to rewrite):\n%s", got, p, want)
	}
}

func TestTemplateUpgradeConflictKeepsBothSidesInline(t *testing.T) {
	t.Parallel()
	platform, a, _ := platformRepo(t, service110)
	repo := generated(t, platform, a)
	edit(t, repo, "README.md", "Listens on port 8080.", "Listens on port 9090.")
	code, out, errs := runCLI(t, "template", "upgrade", "--templates", platform, repo)
	if code != ExitFindings {
		t.Fatalf("code %d, want 1; stdout:\n%s\nstderr: %s", code, out, errs)
	}
	if !strings.Contains(out, "conflict  README.md") || !strings.Contains(out, "1 in conflict") {
		t.Errorf("report:\n%s", out)
	}
	want := "<<<<<<< repository\nA service generated from the service template. Listens on port 9090.\n=======\n" +
		"A service generated from the service template. Listens on port 8080 (HTTP).\n>>>>>>> template 1.1.0\n"
	if readme := string(readTree(t, repo)["README.md"].Data); !strings.Contains(readme, want) {
		t.Errorf("README.md:\n%s\nwant it to hold:\n%s", readme, want)
	}
	if answersIn(t, repo).Version != "1.1.0" {
		t.Error("the answers did not move to 1.1.0")
	}
}

func TestTemplateUpgradeDryRunWritesNothing(t *testing.T) {
	t.Parallel()
	platform, a, _ := platformRepo(t, service110)
	repo := generated(t, platform, a)
	before := readTree(t, repo)
	code, out, errs := runCLI(t, "template", "upgrade", "--dry-run", "--templates", platform, repo)
	if code != ExitOK {
		t.Fatalf("code %d, %s", code, errs)
	}
	if !readTree(t, repo).Equal(before) {
		t.Error("--dry-run changed the checkout")
	}
	for _, want := range []string{
		"would upgrade (dry run, nothing written)",
		"diff --git a/README.md b/README.md\n",
		"-A service generated from the service template. Listens on port 8080.\n+A service generated from the service template. Listens on port 8080 (HTTP).\n",
		"new file mode 100644\n", "+++ b/Makefile\n",
		"deleted file mode 100644\n", "--- a/docs/index.md\n+++ /dev/null\n",
		"-version: 1.0.0\n", "+version: 1.1.0\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
}

func TestTemplateUpgradeNewRequiredParameter(t *testing.T) {
	t.Parallel()
	platform, a, _ := platformRepo(t, func(t *testing.T, dir string) {
		service110(t, dir)
		edit(t, dir, serviceDir+"/template.yaml", "required: [name, owner]", "required: [name, owner, region]")
		edit(t, dir, serviceDir+"/template.yaml", "        description:\n", "        region:\n          type: string\n        description:\n")
	})
	repo := generated(t, platform, a)
	before := readTree(t, repo)
	code, _, errs := runCLI(t, "template", "upgrade", "--templates", platform, repo)
	if code != ExitUsage || !strings.Contains(errs, `"region"`) || !strings.Contains(errs, templating.AnswersPath) {
		t.Errorf("code %d, stderr: %s", code, errs)
	}
	if !readTree(t, repo).Equal(before) {
		t.Error("a refused upgrade changed the checkout")
	}
	// The owner adds it: the upgrade goes ahead and keeps it.
	edit(t, repo, templating.AnswersPath, "values:\n", "values:\n  region: eu\n")
	if code, _, errs := runCLI(t, "template", "upgrade", "--templates", platform, repo); code != ExitOK {
		t.Fatalf("with region: code %d, %s", code, errs)
	}
	if answersIn(t, repo).Values["region"] != "eu" {
		t.Errorf("answers lost region: %+v", answersIn(t, repo).Values)
	}
}

func TestTemplateUpgradeToAVersionInHistory(t *testing.T) {
	t.Parallel()
	platform, a, b := platformRepo(t, service110)
	edit(t, platform, serviceDir+"/template.yaml", "template-version: 1.1.0", "template-version: 1.2.0")
	gitIn(t, platform, "commit", "-q", "-am", "service 1.2.0")
	repo := generated(t, platform, a)
	if code, _, errs := runCLI(t, "template", "upgrade", "--to", "1.3.0", "--templates", platform, repo); code != ExitUsage || !strings.Contains(errs, "--to 1.3.0") {
		t.Errorf("--to a version nowhere: code %d, %s", code, errs)
	}
	code, out, errs := runCLI(t, "template", "upgrade", "--to", "1.1.0", "--templates", platform, repo)
	if code != ExitOK || !strings.Contains(out, "service 1.0.0 -> 1.1.0") {
		t.Fatalf("code %d, %s%s", code, out, errs)
	}
	if ans := answersIn(t, repo); ans.Version != "1.1.0" || ans.PlatformCommit != b {
		t.Errorf("answers = %+v, want 1.1.0 at %s (the commit that made 1.1.0)", ans, b)
	}
	code, out, errs = runCLI(t, "template", "upgrade", "--templates", platform, repo)
	if code != ExitOK || !strings.Contains(out, "service 1.1.0 -> 1.2.0") || answersIn(t, repo).Version != "1.2.0" {
		t.Errorf("then to the working tree: code %d, %s%s", code, out, errs)
	}
}

func TestTemplateUpgradeWithoutPlatformCommitFindsTheBase(t *testing.T) {
	t.Parallel()
	platform, a, _ := platformRepo(t, service110)
	repo := generated(t, platform, a)
	edit(t, repo, templating.AnswersPath, "platform_commit: "+a+"\n", "")
	edit(t, repo, "README.md", "# payments\n", "# payments, ours\n")
	code, out, errs := runCLI(t, "template", "upgrade", "--templates", platform, repo)
	if code != ExitOK || !strings.Contains(errs, "no platform_commit: the base is "+a[:12]) {
		t.Fatalf("code %d, %s\nstderr: %s", code, out, errs)
	}
	if readme := string(readTree(t, repo)["README.md"].Data); !strings.Contains(readme, "# payments, ours\n") || !strings.Contains(readme, "(HTTP)") {
		t.Errorf("README.md:\n%s", readme)
	}
}

func TestTemplateUpgradeRefusals(t *testing.T) {
	t.Parallel()
	platform, a, _ := platformRepo(t, service110)
	repo := generated(t, platform, a)

	// No history to read the base from: the embedded templates, a copy
	// outside Git, a platform_commit the clone does not have.
	code, _, errs := runCLI(t, "template", "upgrade", repo)
	if code != ExitUsage || !strings.Contains(errs, `template "service"`) {
		t.Errorf("embedded: code %d, %s", code, errs)
	}
	plain := t.TempDir()
	copyDir(t, platform, plain)
	must(t, os.RemoveAll(filepath.Join(plain, ".git")))
	code, _, errs = runCLI(t, "template", "upgrade", "--templates", plain, repo)
	if code != ExitUsage || !strings.Contains(errs, "not in a Git checkout") {
		t.Errorf("not Git: code %d, %s", code, errs)
	}
	other := t.TempDir()
	copyDir(t, platform, other)
	must(t, os.RemoveAll(filepath.Join(other, ".git")))
	gitIn(t, other, "init", "-q", "-b", "main")
	gitIn(t, other, "add", "-A")
	gitIn(t, other, "commit", "-q", "-m", "another repository, at 1.1.0 only")
	code, _, errs = runCLI(t, "template", "upgrade", "--templates", other, repo)
	if code != ExitUsage || !strings.Contains(errs, "platform_commit "+a) {
		t.Errorf("unknown commit: code %d, %s", code, errs)
	}

	// Backstage generated it: the owner is told what to add.
	bs := t.TempDir()
	must(t, os.WriteFile(filepath.Join(bs, "catalog-info.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n"+
		"  annotations:\n    backstage.io/source-template: template:default/service\nspec: {type: service, lifecycle: production, owner: group:a}\n"), 0o644))
	code, _, errs = runCLI(t, "template", "upgrade", "--templates", platform, bs)
	if code != ExitUsage || !strings.Contains(errs, "by Backstage") || !strings.Contains(errs, "platform_commit") {
		t.Errorf("backstage: code %d, %s", code, errs)
	}
	code, _, errs = runCLI(t, "template", "upgrade", "--templates", platform, t.TempDir())
	if code != ExitUsage || !strings.Contains(errs, "not generated from a template") {
		t.Errorf("plain repository: code %d, %s", code, errs)
	}
	if code, _, _ := runCLI(t, "template", "upgrade"); code != ExitUsage {
		t.Errorf("no PATH: code %d", code)
	}
}

func TestTemplateUpgradeModesAndLinks(t *testing.T) {
	t.Parallel()
	platform, a, _ := platformRepo(t, func(t *testing.T, dir string) {
		skel := filepath.Join(dir, serviceDir, "skeleton")
		must(t, os.WriteFile(filepath.Join(skel, "run.sh"), []byte("#!/bin/sh\nexec go run .\n"), 0o755))
		must(t, os.Symlink("docs/index.md", filepath.Join(skel, "DOCS.md")))
	})
	repo := generated(t, platform, a)
	code, out, errs := runCLI(t, "template", "upgrade", "--templates", platform, repo)
	if code != ExitOK {
		t.Fatalf("code %d, %s%s", code, out, errs)
	}
	if info, err := os.Stat(filepath.Join(repo, "run.sh")); err != nil || info.Mode().Perm()&0o111 == 0 {
		t.Errorf("run.sh: %v, %v: want it executable", info, err)
	}
	if target, err := os.Readlink(filepath.Join(repo, "DOCS.md")); err != nil || target != "docs/index.md" {
		t.Errorf("DOCS.md -> %q, %v: want the template's link", target, err)
	}
}

func TestTemplateUpgradeStaysInsideTheCheckout(t *testing.T) {
	t.Parallel()
	platform, a, _ := platformRepo(t, service110)
	repo := generated(t, platform, a)
	outside := t.TempDir()
	must(t, os.WriteFile(filepath.Join(outside, "index.md"), []byte("# payments documentation\n"), 0o644))
	must(t, os.RemoveAll(filepath.Join(repo, "docs")))
	must(t, os.Symlink(outside, filepath.Join(repo, "docs")))
	code, _, errs := runCLI(t, "template", "upgrade", "--templates", platform, repo)
	if code != ExitUsage || !strings.Contains(errs, "docs/index.md") {
		t.Errorf("code %d, stderr %s: want a refusal naming docs/index.md", code, errs)
	}
	if _, err := os.Stat(filepath.Join(outside, "index.md")); err != nil {
		t.Errorf("the upgrade reached outside the checkout: %v", err)
	}
}

func TestTemplateUpgradeWarnsOfUncommittedTemplateChanges(t *testing.T) {
	t.Parallel()
	platform, a, _ := platformRepo(t, service110)
	repo := generated(t, platform, a)
	code, _, errs := runCLI(t, "template", "upgrade", "--dry-run", "--templates", platform, repo)
	if code != ExitOK || strings.Contains(errs, "not committed") {
		t.Errorf("clean platform checkout: code %d, stderr %s", code, errs)
	}
	edit(t, platform, serviceDir+"/skeleton/Makefile", "go run .", "go run ./cmd")
	code, _, errs = runCLI(t, "template", "upgrade", "--templates", platform, repo)
	if code != ExitOK || !strings.Contains(errs, "templates/service that are not committed") {
		t.Errorf("edited platform checkout: code %d, stderr %s", code, errs)
	}
}
