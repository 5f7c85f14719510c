package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
)

func TestTemplateStatusMeasuresCheckouts(t *testing.T) {
	t.Parallel()
	platform, a, b := platformRepo(t, service110)
	old := generated(t, platform, a)
	edit(t, old, "README.md", "# payments\n", "# payments, ours\n")
	must(t, os.Remove(filepath.Join(old, "docs", "index.md")))
	current := generated(t, platform, b)
	bs := t.TempDir()
	must(t, os.WriteFile(filepath.Join(bs, "catalog-info.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n"+
		"  annotations:\n    backstage.io/source-template: template:default/service\nspec: {type: service, lifecycle: production, owner: group:a}\n"), 0o644))

	code, out, errs := runCLI(t, "template", "status", "--templates", platform, "--format", "json", old, current, bs)
	if code != ExitOK {
		t.Fatalf("code %d, %s", code, errs)
	}
	var got struct {
		Templates []statusTemplate `json:"templates"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if len(got.Templates) != 1 || got.Templates[0].Latest != "1.1.0" || got.Templates[0].Behind != 1 || len(got.Templates[0].Versions) != 3 {
		t.Fatalf("status:\n%s", out)
	}
	v := got.Templates[0].Versions
	// The 1.0.0 render holds five files (the answers aside): the owner
	// edited README.md and deleted docs/index.md.
	if d := v[0].Repositories[0].Drift; v[0].Version != "1.0.0" || d == nil || d.Unchanged != 3 || d.Total != 5 ||
		strings.Join(d.Changed, ",") != "README.md" || strings.Join(d.Missing, ",") != "docs/index.md" {
		t.Errorf("1.0.0: %+v", v[0])
	}
	if d := v[1].Repositories[0].Drift; v[1].Version != "1.1.0" || d == nil || d.Share != 1 {
		t.Errorf("1.1.0: %+v", v[1])
	}
	if r := v[2].Repositories[0]; v[2].Version != "" || r.Origin != "backstage" || !strings.Contains(r.Note, ".portico/answers.yaml") {
		t.Errorf("backstage: %+v", v[2])
	}

	code, out, _ = runCLI(t, "template", "status", "--templates", platform, old)
	if code != ExitOK || !strings.Contains(out, "service   1.0.0    1.1.0   "+old+"  60% (3/5)") ||
		!strings.Contains(out, "service: 1 repository, 1 behind 1.1.0") {
		t.Errorf("text:\n%s", out)
	}
}

func TestTemplateStatusFromTheCentralCatalog(t *testing.T) {
	t.Parallel()
	central := t.TempDir()
	entity := func(name, ann string) string {
		return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name + "\n  namespace: default\n  annotations:\n" + ann +
			"    backstage.io/managed-by-location: url:https://github.com/acme/" + name + "/blob/main/catalog-info.yaml\nspec: {type: service, lifecycle: production, owner: group:a}\n"
	}
	files := map[string]string{
		"payments": entity("payments", "    backstage.io/source-template: template:default/service\n    portico.dev/template-version: 1.0.0\n"),
		"orders":   entity("orders", "    backstage.io/source-template: template:default/service\n    portico.dev/template-version: 1.2.0\n"),
		"legacy":   entity("legacy", "    backstage.io/source-template: template:default/service\n"),
		"plain":    entity("plain", ""),
	}
	for name, s := range files {
		p := filepath.Join(central, "catalog", "default", "component", name+".yaml")
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(s), 0o644))
	}
	gitIn(t, central, "init", "-q", "-b", "main")
	gitIn(t, central, "add", "-A")
	gitIn(t, central, "commit", "-q", "-m", "catalog")

	code, out, errs := runCLI(t, "template", "status", "--templates", templatePlatform, "--catalog", central)
	if code != ExitOK {
		t.Fatalf("code %d, %s", code, errs)
	}
	// The table, with versions oldest first and the unknown one last.
	golden(t, "template_status_catalog.golden", out)
	if strings.Contains(out, "plain") {
		t.Errorf("an entity of no template is listed:\n%s", out)
	}
	if code, _, _ := runCLI(t, "template", "status"); code != ExitUsage {
		t.Errorf("no PATH nor --catalog: code %d", code)
	}
}

// TestTemplateStatusListsOpenUpgradePulls reads the central catalog from
// (the fake) GitHub by owner/name and asks, per repository, for its open
// pull request from portico/template/<name>.
func TestTemplateStatusListsOpenUpgradePulls(t *testing.T) {
	t.Parallel()
	fake, token := fakeCatalogRepo(t)
	entity := func(name, version string) string {
		return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name + "\n  annotations:\n" +
			"    backstage.io/source-template: template:default/service\n    portico.dev/template-version: " + version + "\n" +
			"    backstage.io/managed-by-location: url:" + fake.URL() + "/acme/" + name + "/blob/main/catalog-info.yaml\n" +
			"spec: {type: service, lifecycle: production, owner: group:a}\n"
	}
	if _, err := fake.Commit("acme", "catalog", "main", githubtest.Files{
		"catalog/default/component/payments.yaml": githubtest.Text(entity("payments", "1.0.0")),
		"catalog/default/component/orders.yaml":   githubtest.Text(entity("orders", "1.1.0")),
	}, "catalog"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"payments", "orders"} {
		must(t, fake.CreateRepo("acme", name, "main"))
		_, err := fake.Commit("acme", name, "main", githubtest.Files{"README.md": githubtest.Text("# " + name + "\n")}, "initial")
		must(t, err)
	}
	_, err := fake.Commit("acme", "payments", "portico/template/service", githubtest.Files{"README.md": githubtest.Text("# upgraded\n")}, "upgrade")
	must(t, err)
	pr, err := fake.OpenPullRequest("acme", "payments", "portico/template/service", "main", "Upgrade service template from 1.0.0 to 1.2.0", githubtest.AsDraft())
	must(t, err)

	env := map[string]string{"GITHUB_SERVER_URL": fake.URL(), "GITHUB_TOKEN": token}
	code, out := runMainEnv(t, env, "template", "status", "--templates", templatePlatform, "--catalog", "acme/catalog", "--format", "json")
	if code != ExitOK {
		t.Fatalf("code %d:\n%s", code, out)
	}
	var got struct {
		Templates []statusTemplate `json:"templates"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	vs := got.Templates[0].Versions
	if p := vs[0].Repositories[0].Pull; p == nil || p.Number != pr.Number || !p.Draft || !strings.Contains(p.Title, "1.0.0 to 1.2.0") {
		t.Errorf("payments' pull = %+v, want #%d (draft)", p, pr.Number)
	}
	if r := vs[1].Repositories[0]; r.Pull != nil || strings.Contains(r.Note, "not read") {
		t.Errorf("orders: %+v", r)
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("requests GitHub would refuse: %v", v)
	}
}

// FuzzGeneratedEntities: a central catalog's files and locations are
// outside input; reading them never panics, and every listed entity names
// a template.
func FuzzGeneratedEntities(f *testing.F) {
	f.Add([]byte("kind: Component\nmetadata:\n  name: a\n  annotations:\n    backstage.io/source-template: template:default/service\n"+
		"    backstage.io/managed-by-location: url:https://github.com/acme/a/blob/main/catalog-info.yaml\n"), "https://github.com")
	f.Add([]byte("metadata: {annotations: {backstage.io/source-template: x}}\n---\n[1, 2]\n"), "http://[::1]:80")
	f.Fuzz(func(t *testing.T, data []byte, server string) {
		for _, r := range generatedEntities(data) {
			if r.Template == "" {
				t.Errorf("an entity without a template name listed: %+v", r)
			}
			if owner, name, ok := repoAt(server, r.Location); ok && (owner == "" || name == "" || strings.Contains(owner+name, "/")) {
				t.Errorf("repoAt(%q, %q) = %q, %q", server, r.Location, owner, name)
			}
		}
	})
}
