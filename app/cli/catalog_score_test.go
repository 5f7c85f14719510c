package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/scorereport"
)

const scoredService = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: pay\n  description: Takes payments.\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team-pay\n"

// catalog sync records each entity's score file beside it in the same
// commit, from the checkout's facts; syncing again records nothing; a
// scorecard that fails is recorded as its error.
func TestCatalogSyncRecordsScores(t *testing.T) {
	t.Parallel()
	central := filepath.Join(t.TempDir(), "central.git")
	shop := sourceRepo(t, "https://github.com/acme/shop.git", map[string]string{"catalog-info.yaml": scoredService, "README.md": "# pay\n"})
	code, out := runCatalog(t, "--central", central, shop)
	if code != ExitOK || !strings.Contains(out, "(+1 ~0 -0, 1 score)") {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
	files := gitRun(t, central, "show", "--format=", "--name-only", "main")
	if !strings.Contains(files, "catalog/default/component/pay.yaml") || !strings.Contains(files, "scorecards/default/component/pay.json") {
		t.Errorf("entity and score not in one commit:\n%s", files)
	}
	data := gitRun(t, central, "show", "main:scorecards/default/component/pay.json")
	if _, err := scorereport.ParseRecorded([]byte(data)); err != nil || !strings.Contains(data, `"level": "bronze"`) {
		t.Errorf("score file (%v):\n%s", err, data)
	}
	if code, out = runCatalog(t, "--central", central, shop); code != ExitOK || !strings.Contains(out, "no change") {
		t.Errorf("second sync: exit %d, output:\n%s", code, out)
	}

	cards := t.TempDir()
	broken := "package portico.scorecards.broken\n\nscorecard := {\"title\": \"Broken\", \"levels\": [\"ok\"], \"rules\": {\"r\": {\"title\": \"R\", \"level\": \"ok\", \"weight\": 1, \"message\": \"fix r\"}}}\n\nx := 1 if true\n\nx := 2 if true\n\npass contains \"r\" if x == 1\n"
	if err := os.WriteFile(filepath.Join(cards, "broken.rego"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out = runCatalog(t, "--central", central, "--scorecards", cards, shop)
	if code != ExitOK || !strings.Contains(out, "(+0 ~0 -0, 1 score)") {
		t.Fatalf("sync with other scorecards: exit %d, output:\n%s", code, out)
	}
	data = gitRun(t, central, "show", "main:scorecards/default/component/pay.json")
	if !strings.Contains(data, `"error": "scorecard broken (data.portico.scorecards.broken)`) {
		t.Errorf("the failing scorecard is not recorded as its error:\n%s", data)
	}
}
