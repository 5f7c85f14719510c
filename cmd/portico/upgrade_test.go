package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/portico-dev/portico/app/githubtest"
	"github.com/portico-dev/portico/app/templating"
)

// upgradeRepos is how many generated repositories the upgrade scenario
// runs, spread over three older versions.
const upgradeRepos = 50

// upgradeWait bounds each phase of the scenario on a loaded machine.
const upgradeWait = 4 * time.Minute

var upgradeVersions = []string{"1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"}

// svcTemplate is the platform configuration's templates/ at version
// number i of upgradeVersions: each version adds a line to the Makefile
// and a section to the changelog, and names itself in the README.
func svcTemplate(i int) map[string]string {
	v := upgradeVersions[i]
	var makefile, changelog strings.Builder
	makefile.WriteString("build:\n\tgo build ./...\n")
	changelog.WriteString("# Changelog\n")
	for j := i; j >= 0; j-- {
		fmt.Fprintf(&changelog, "\n## [%s]\n\n- the Makefile's step %d.\n", upgradeVersions[j], j)
	}
	for j := 1; j <= i; j++ {
		fmt.Fprintf(&makefile, "step%d:\n\techo %d\n", j, j)
	}
	return map[string]string{
		"templates/svc/template.yaml": `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: svc
  title: Service
  annotations:
    portico.dev/template-version: ` + v + `
spec:
  owner: group:platform
  type: service
  parameters:
    - title: Service
      required: [name]
      properties:
        name:
          type: string
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
`,
		"templates/svc/skeleton/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team\n",
		"templates/svc/skeleton/README.md":         "# ${{ values.name }}\n\nGenerated from the svc template " + v + ".\n\nline 5\nline 6\nline 7\n",
		"templates/svc/skeleton/Makefile":          makefile.String(),
		"templates/svc/CHANGELOG.md":               changelog.String(),
	}
}

// commitTemplate commits version i of the template to the platform
// repository and returns the commit.
func commitTemplate(t *testing.T, a *app, i int) string {
	t.Helper()
	files := githubtest.Files{}
	for p, s := range svcTemplate(i) {
		files[p] = githubtest.Text(s)
	}
	sha, err := a.gh.Commit("acme", "platform", "main", files, "svc "+upgradeVersions[i])
	must(t, err)
	return sha
}

// generate renders version i at commit for a repository named name, with
// the owner's own line at the end of the README.
func generateRepo(t *testing.T, i int, commit, name string) githubtest.Files {
	t.Helper()
	fsys := fstest.MapFS{}
	for p, s := range svcTemplate(i) {
		fsys[p] = &fstest.MapFile{Data: []byte(s)}
	}
	tpl, findings := templating.Load(fsys, "templates/svc/template.yaml")
	if tpl == nil {
		t.Fatalf("template %s: %v", upgradeVersions[i], findings)
	}
	out, err := tpl.Render(context.Background(), fsys, map[string]any{"name": name}, templating.Provenance{Commit: commit})
	must(t, err)
	files := githubtest.Files{}
	for p, f := range out {
		files[p] = githubtest.Text(string(f.Data))
	}
	*files["README.md"] += "Owned by " + name + "'s team.\n"
	files["main.go"] = githubtest.Text("package main\n")
	return files
}

// writeCounter counts the fake GitHub's write requests per repository,
// from its request log.
type writeCounter struct {
	mu     sync.Mutex
	writes map[string]int
}

func (c *writeCounter) Enabled(context.Context, slog.Level) bool { return true }
func (c *writeCounter) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c *writeCounter) WithGroup(string) slog.Handler            { return c }

// upgradeWrites are the operations a template upgrade writes with.
var upgradeWrites = []string{"/git/trees", "/git/commits", "/git/refs", "/git/blobs", "/pulls", "/labels", "/comments"}

func (c *writeCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "githubtest: request" {
		return nil
	}
	var method, path string
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "method":
			method = a.Value.String()
		case "path":
			path = a.Value.String()
		}
		return true
	})
	rest, ok := strings.CutPrefix(path, "/repos/")
	if !ok || method == http.MethodGet {
		return nil
	}
	parts := strings.SplitN(rest, "/", 3)
	if len(parts) < 3 {
		return nil
	}
	for _, w := range upgradeWrites {
		if strings.Contains("/"+parts[2], w) {
			c.mu.Lock()
			c.writes[parts[0]+"/"+parts[1]]++
			c.mu.Unlock()
			return nil
		}
	}
	return nil
}

// take returns the counts so far and starts again from zero.
func (c *writeCounter) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.writes
	c.writes = map[string]int{}
	return out
}

type generatedRepo struct {
	name    string
	version int
}

// The scenario on the real binary: repositories generated at
// three older versions and recorded in the catalog; one version bump on
// the platform repository gives each one correct pull request within
// five writes; a person's push to one branch and a closed pull request
// are respected; a second bump updates the rest in place.
func TestServeTemplateUpgrades(t *testing.T) {
	t.Parallel()
	counter := &writeCounter{writes: map[string]int{}}
	a := newApp(t, githubtest.WithLogger(slog.New(counter)), githubtest.WithResponseValidation(false))
	a.env = append(a.env, "PORTICO_TEMPLATES_UPGRADES_CONCURRENCY=4", "PORTICO_TEMPLATES_UPGRADES_PER_HOUR=-1")
	must(t, a.gh.CreateRepo("acme", "platform", "main"))
	var commits []string
	for i := range 3 {
		commits = append(commits, commitTemplate(t, a, i))
	}
	repos := make([]generatedRepo, upgradeRepos)
	names := []string{"platform"}
	for n := range repos {
		repos[n] = generatedRepo{name: fmt.Sprintf("svc-%02d", n), version: n % 3}
		must(t, a.gh.CreateRepo("acme", repos[n].name, "main"))
		_, err := a.gh.Commit("acme", repos[n].name, "main", generateRepo(t, repos[n].version, commits[repos[n].version], repos[n].name), "generated")
		must(t, err)
		names = append(names, repos[n].name)
	}

	// portico runs first without the platform repository: the catalog
	// records the generated repositories, and nothing is upgraded.
	a.start()
	must(t, a.gh.AddInstallationRepos(a.inst, names...))
	waitPhase(t, a, "every generated repository in the catalog", func() bool {
		for _, r := range repos {
			if catalogFile(a, "catalog/default/component/"+r.name+".yaml") == "" {
				return false
			}
		}
		return true
	})
	a.stop(syscall.SIGTERM)
	a.env = append(a.env, "PORTICO_PLATFORM_REPOSITORY=acme/platform")
	a.start()
	counter.take()

	// One bump: 1.3.0.
	commitTemplate(t, a, 3)
	waitPhase(t, a, "an upgrade pull request to 1.3.0 in every repository", func() bool {
		for _, r := range repos {
			pr, err := a.gh.PullRequest("acme", r.name, 1)
			if err != nil || !strings.HasSuffix(pr.Title, " to 1.3.0") {
				return false
			}
		}
		return true
	})
	waitPhase(t, a, "every job's last write", func() bool {
		return scrape(a, `portico_template_upgrades_total{outcome="created"}`) >= upgradeRepos
	})
	writes := counter.take()
	for _, r := range repos {
		checkUpgradePR(t, a, r, 1, "1.3.0")
		if n := writes["acme/"+r.name]; n > 5 {
			t.Errorf("%s: %d writes for its pull request, want at most 5", r.name, n)
		}
	}
	t.Logf("first bump: %d pull requests, writes per pull request %v", len(repos), spread(writes, repos))

	// svc-00's pull request is closed unmerged; a person pushes to
	// svc-01's branch.
	must(t, a.gh.ClosePullRequest("acme", "svc-00", 1))
	edited, err := a.gh.PushToPullRequest("acme", "svc-01", 1, githubtest.Files{"Makefile": githubtest.Text("mine\n")}, "my own Makefile")
	must(t, err)
	// A push to svc-00 syncs it, still behind: its upgrade to 1.3.0 runs
	// again and leaves the closed pull request closed.
	_, err = a.gh.Commit("acme", "svc-00", "main", githubtest.Files{"docs/index.md": githubtest.Text("# docs\n")}, "docs")
	must(t, err)
	waitPhase(t, a, "the closed pull request's upgrade to be skipped", func() bool {
		return scrape(a, `portico_template_upgrades_total{outcome="skipped_closed"}`) >= 1
	})
	if pr, _ := a.gh.PullRequest("acme", "svc-00", 1); pr.State != "closed" {
		t.Errorf("svc-00's closed pull request is %s", pr.State)
	}
	if _, err := a.gh.PullRequest("acme", "svc-00", 2); err == nil {
		t.Error("svc-00 got a second pull request for the version it closed")
	}
	counter.take()

	// A second bump: 1.4.0 updates every open pull request in place, but
	// svc-01's, which gets one comment.
	commitTemplate(t, a, 4)
	waitPhase(t, a, "every open pull request updated to 1.4.0 and svc-01 told why not", func() bool {
		for _, r := range repos[2:] {
			if pr, err := a.gh.PullRequest("acme", r.name, 1); err != nil || !strings.HasSuffix(pr.Title, " to 1.4.0") {
				return false
			}
		}
		return len(a.gh.Comments("acme", "svc-01", 1)) > 0
	})
	waitPhase(t, a, "every job's last write", func() bool {
		return scrape(a, `portico_template_upgrades_total{outcome="updated"}`) >= upgradeRepos-2 &&
			scrape(a, `portico_template_upgrades_total{outcome="skipped_human_edit"}`) >= 1
	})
	writes = counter.take()
	for _, r := range repos[2:] {
		checkUpgradePR(t, a, r, 1, "1.4.0")
		if n := writes["acme/"+r.name]; n > 5 {
			t.Errorf("%s: %d writes to update its pull request, want at most 5", r.name, n)
		}
	}
	pr, _ := a.gh.PullRequest("acme", "svc-01", 1)
	if head := branchHead(t, a, "svc-01"); head != edited || !strings.HasSuffix(pr.Title, " to 1.3.0") {
		t.Errorf("svc-01's branch was overwritten: head %s (the person's %s), title %q", head, edited, pr.Title)
	}
	if cs := a.gh.Comments("acme", "svc-01", 1); len(cs) != 1 || !strings.Contains(cs[0].Body, "1.4.0") {
		t.Errorf("svc-01's comments: %+v", cs)
	}
	if pr, _ := a.gh.PullRequest("acme", "svc-00", 1); pr.State != "closed" {
		t.Errorf("svc-00's closed pull request was reopened")
	}
	// A newer version than the one closed opens a pull request of its own.
	if pr, err := a.gh.PullRequest("acme", "svc-00", 2); err != nil || !strings.HasSuffix(pr.Title, " to 1.4.0") {
		t.Errorf("svc-00's pull request for 1.4.0: %+v %v", pr, err)
	}
	t.Logf("second bump: writes per updated pull request %v, svc-01 %d", spread(writes, repos[2:]), writes["acme/svc-01"])
	if v := a.gh.Violations(); len(v) > 0 {
		t.Errorf("requests GitHub would refuse: %v", v)
	}
}

// checkUpgradePR checks an upgrade pull request and its branch: title,
// label, not a draft, a body with the files and the changelog, and a
// README that holds both the new version's line and the owner's.
func checkUpgradePR(t *testing.T, a *app, r generatedRepo, number int, to string) {
	t.Helper()
	pr, err := a.gh.PullRequest("acme", r.name, number)
	must(t, err)
	from := upgradeVersions[r.version]
	if want := "Upgrade svc template from " + from + " to " + to; pr.Title != want || pr.State != "open" || pr.Draft {
		t.Errorf("%s: %q %s draft=%v, want %q open", r.name, pr.Title, pr.State, pr.Draft, want)
	}
	if !strings.Contains(pr.Body, "| `README.md` | updated") || !strings.Contains(pr.Body, "## ["+to+"]") ||
		strings.Contains(pr.Body, "## ["+from+"]") {
		t.Errorf("%s: body\n%s", r.name, pr.Body)
	}
	if labels := a.gh.Labels("acme", r.name, number); len(labels) != 1 || labels[0] != "portico:template-upgrade" {
		t.Errorf("%s: labels %v", r.name, labels)
	}
	dir := filepath.Join(a.gh.Dir(), "repos", "acme", r.name+".git")
	head := branchHead(t, a, r.name)
	readme, err := exec.Command("git", "--git-dir", dir, "show", head+":README.md").Output()
	must(t, err)
	if s := string(readme); !strings.Contains(s, "svc template "+to+".") || !strings.Contains(s, "Owned by "+r.name+"'s team.") {
		t.Errorf("%s: README.md on the branch:\n%s", r.name, s)
	}
	answers, err := exec.Command("git", "--git-dir", dir, "show", head+":.portico/answers.yaml").Output()
	must(t, err)
	if !strings.Contains(string(answers), "version: "+to+"\n") {
		t.Errorf("%s: answers on the branch:\n%s", r.name, answers)
	}
}

// branchHead is the commit of a repository's upgrade branch.
func branchHead(t *testing.T, a *app, repo string) string {
	t.Helper()
	dir := filepath.Join(a.gh.Dir(), "repos", "acme", repo+".git")
	out, err := exec.Command("git", "--git-dir", dir, "rev-parse", "refs/heads/portico/template/svc").Output()
	must(t, err)
	return strings.TrimSpace(string(out))
}

// spread counts repositories by their number of writes.
func spread(writes map[string]int, repos []generatedRepo) map[int]int {
	out := map[int]int{}
	for _, r := range repos {
		out[writes["acme/"+r.name]]++
	}
	return out
}

func waitPhase(t *testing.T, a *app, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(upgradeWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s; logs:\n%s", upgradeWait, what, a.logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// scrape reads one sample of /metrics; 0 when absent.
func scrape(a *app, sample string) float64 {
	resp, err := http.Get("http://" + a.addr + "/metrics")
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return metricValue(string(body), sample)
}
