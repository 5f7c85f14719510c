package platform

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/githubtest"
)

const acmeCard = `package portico.scorecards.acme

scorecard := {"title": "Acme", "levels": ["ok"],
	"rules": {"named": {"title": "Named", "level": "ok", "weight": 1, "message": "name it"}}}

pass contains "named" if input.entity.metadata.name
`

func cardIDs(t *testing.T, sc *Scorecards, inst int64) ([]string, error) {
	t.Helper()
	eng, err := sc.Scorecards(context.Background(), inst)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, c := range eng.Scorecards() {
		ids = append(ids, c.ID)
	}
	return ids, nil
}

// The platform repository's policies/scorecards/ replace the default
// scorecards once on its default branch; without it the defaults apply,
// and a malformed scorecard is refused with its file.
func TestRepositoryScorecards(t *testing.T) {
	t.Parallel()
	fake := githubtest.New(t)
	app, err := fake.CreateApp(githubtest.AppOptions{})
	must(t, err)
	must(t, fake.CreateRepo("acme", "platform", "main"))
	_, err = fake.Commit("acme", "platform", "main", githubtest.Files{"policies/acme.rego": githubtest.Text(strictPolicy)}, "policy")
	must(t, err)
	inst, err := fake.CreateInstallation(app.ID, "acme", "platform")
	must(t, err)
	apps, err := gh.NewApps(app.ID, app.PrivateKeyPEM, fake.URL())
	must(t, err)
	src, err := Repository("acme/platform", apps)
	must(t, err)
	sc, err := src.Scorecards(context.Background())
	must(t, err)

	if ids, err := cardIDs(t, sc, inst); err != nil || !slices.Equal(ids, []string{"documentation", "production-readiness"}) {
		t.Errorf("without policies/scorecards/: %q, %v; want the defaults", ids, err)
	}
	_, err = fake.Commit("acme", "platform", "main", githubtest.Files{"policies/scorecards/acme.rego": githubtest.Text(acmeCard)}, "scorecard")
	must(t, err)
	if ids, err := cardIDs(t, sc, inst); err != nil || !slices.Equal(ids, []string{"acme"}) {
		t.Errorf("with policies/scorecards/: %q, %v; want acme alone", ids, err)
	}
	_, err = fake.Commit("acme", "platform", "main", githubtest.Files{"policies/scorecards/acme.rego": githubtest.Text("package portico.scorecards.acme\n\npass contains \"x\" if true\n")}, "break it")
	must(t, err)
	if _, err := cardIDs(t, sc, inst); err == nil || !strings.Contains(err.Error(), "acme.rego") {
		t.Errorf("a malformed scorecard: err %v, want one naming its file", err)
	}
}

// A platform directory's scorecards/ replace the defaults.
func TestFixedScorecards(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "scorecards"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "scorecards", "acme.rego"), []byte(acmeCard), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "acme.rego"), []byte(strictPolicy), 0o644))
	src, err := Fixed(context.Background(), os.DirFS(dir))
	must(t, err)
	sc, err := src.Scorecards(context.Background())
	must(t, err)
	if ids, err := cardIDs(t, sc, 0); err != nil || !slices.Equal(ids, []string{"acme"}) {
		t.Errorf("scorecards %q, %v; want acme", ids, err)
	}
	def, err := Fixed(context.Background(), nil)
	must(t, err)
	sc, err = def.Scorecards(context.Background())
	must(t, err)
	if ids, _ := cardIDs(t, sc, 0); len(ids) != 2 {
		t.Errorf("embedded: %q, want the two defaults", ids)
	}
}
