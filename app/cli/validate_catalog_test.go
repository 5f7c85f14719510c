package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runMain(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(string) string { return "" }})
	return code, out.String() + errb.String()
}

// centralOf records a source declaring the components named into a new
// central repository.
func centralOf(t *testing.T, names ...string) string {
	t.Helper()
	files := map[string]string{}
	for _, n := range names {
		files["services/"+n+"/catalog-info.yaml"] = strings.ReplaceAll(catalogComponent, "%s", n)
	}
	central := filepath.Join(t.TempDir(), "central.git")
	if code, out := runCatalog(t, "--central", central, sourceRepo(t, "https://github.com/acme/shop.git", files)); code != ExitOK {
		t.Fatalf("sync: %d\n%s", code, out)
	}
	return central
}

func TestValidateCatalogReferences(t *testing.T) {
	t.Parallel()
	central := centralOf(t, "cart")
	dir := t.TempDir()
	doc := strings.ReplaceAll(catalogComponent, "%s", "web") + "  dependsOn: [component:cart, component:ghost]\n"
	if err := os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runMain(t, "validate", "--backstage-only", "--catalog", central, dir)
	if code != ExitOK || strings.Count(out, "catalog/reference") != 2 || !strings.Contains(out, "component:default/ghost") || strings.Contains(out, "component:default/cart,") {
		t.Errorf("warning: exit %d\n%s", code, out)
	}
	code, out = runMain(t, "validate", "--backstage-only", "--catalog", central, "--reference-severity", "error", dir)
	if code != ExitFindings {
		t.Errorf("error: exit %d\n%s", code, out)
	}
	if code, out = runMain(t, "validate", "--backstage-only", dir); code != ExitOK || strings.Contains(out, "catalog/reference") {
		t.Errorf("without --catalog: exit %d\n%s", code, out)
	}
	if code, _ = runMain(t, "validate", "--catalog", central, "--reference-severity", "info", dir); code != ExitUsage {
		t.Errorf("bad severity: exit %d", code)
	}
	if code, _ = runMain(t, "validate", "--catalog", filepath.Join(dir, "nope"), dir); code != ExitUsage {
		t.Errorf("missing catalog: exit %d", code)
	}
}
