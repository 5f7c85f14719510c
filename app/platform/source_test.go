package platform

import (
	"context"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/githubtest"
	"github.com/portico-dev/portico/app/policy"
)

const strictPolicy = `package portico.acme

deny contains {"msg": "acme wants a title", "rule": "acme/title", "path": "metadata.title"} if {
	not input.metadata.title
}
`

func entity(t *testing.T) *descriptor.Document {
	t.Helper()
	f := descriptor.Parse([]byte("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: g, description: d}\nspec: {type: team, children: []}\n"), 0)
	return f.Documents[0]
}

func rules(t *testing.T, s *Source, inst int64) map[string]bool {
	t.Helper()
	eng, err := s.Policy(context.Background(), inst)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := eng.Eval(context.Background(), entity(t))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, f := range fs {
		out[f.Rule] = true
	}
	return out
}

// TestRepositoryPolicies reads the policies of the platform repository's
// default branch, and only of it: a pull request branch that weakens them
// changes nothing, a merge to the default branch does.
func TestRepositoryPolicies(t *testing.T) {
	t.Parallel()
	fake := githubtest.New(t)
	app, err := fake.CreateApp(githubtest.AppOptions{})
	if err != nil {
		t.Fatal(err)
	}
	must(t, fake.CreateRepo("acme", "platform", "main"))
	_, err = fake.Commit("acme", "platform", "main", githubtest.Files{"README.md": githubtest.Text("platform\n")}, "init")
	must(t, err)
	inst, err := fake.CreateInstallation(app.ID, "acme", "platform")
	must(t, err)
	apps, err := gh.NewApps(app.ID, app.PrivateKeyPEM, fake.URL())
	must(t, err)
	src, err := Repository("acme/platform", apps)
	must(t, err)

	if got := rules(t, src, inst); got["acme/title"] {
		t.Errorf("without policies/ the defaults apply, got %v", got)
	}
	_, err = fake.Commit("acme", "platform", "main", githubtest.Files{"policies/acme.rego": githubtest.Text(strictPolicy)}, "policy")
	must(t, err)
	if got := rules(t, src, inst); !got["acme/title"] {
		t.Errorf("the default branch's policy did not apply: %v", got)
	}
	_, err = fake.Commit("acme", "platform", "relax", githubtest.Files{"policies/acme.rego": nil}, "drop the policy")
	must(t, err)
	if got := rules(t, src, inst); !got["acme/title"] {
		t.Errorf("a branch other than the default changed the policies: %v", got)
	}
}

func TestFixedDefaults(t *testing.T) {
	t.Parallel()
	src, err := Fixed(context.Background(), nil)
	must(t, err)
	if got := rules(t, src, 0); len(got) != 0 {
		t.Errorf("a complete group has findings under the default bundle: %v", got)
	}
	if _, err := Repository("no-slash", nil); err == nil {
		t.Error("a repository without owner/ was accepted")
	}
}

// The platform repository's policies, nested folders included, compile
// with the configured options: its severity table applies, a refused
// built-in fails with its file and line, and a misspelt option fails at
// start.
func TestRepositoryPolicyOptions(t *testing.T) {
	t.Parallel()
	fake := githubtest.New(t)
	app, err := fake.CreateApp(githubtest.AppOptions{})
	must(t, err)
	must(t, fake.CreateRepo("acme", "platform", "main"))
	_, err = fake.Commit("acme", "platform", "main", githubtest.Files{"policies/acme/strict.rego": githubtest.Text(strictPolicy)}, "policy")
	must(t, err)
	inst, err := fake.CreateInstallation(app.ID, "acme", "platform")
	must(t, err)
	apps, err := gh.NewApps(app.ID, app.PrivateKeyPEM, fake.URL())
	must(t, err)
	src, err := Repository("acme/platform", apps, policy.WithSeverity(map[string]string{"acme/title": "off"}))
	must(t, err)
	if got := rules(t, src, inst); len(got) != 0 {
		t.Errorf("acme/title is off in the configuration, got %v", got)
	}
	_, err = fake.Commit("acme", "platform", "main", githubtest.Files{"policies/fetch.rego": githubtest.Text(
		"package portico.fetch\n\nwarn contains http.send({\"method\": \"GET\", \"url\": \"http://10.0.0.1/\"}).raw_body if input.kind\n")}, "fetch")
	must(t, err)
	if _, err := src.Policy(context.Background(), inst); err == nil || !strings.Contains(err.Error(), "fetch.rego:3: http.send is not allowed") {
		t.Errorf("a policy calling http.send: %v, want it refused at fetch.rego:3", err)
	}
	if _, err := Repository("acme/platform", apps, policy.WithAllowedBuiltins("http.get")); err == nil {
		t.Error("a misspelt built-in was accepted")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
