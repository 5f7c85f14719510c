package catalog

import (
	"context"
	"testing"
)

func TestLocationFile(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	mustSync(t, s, source("acme/one", sha('a'), map[string]string{"catalog-info.yaml": component("b", "t")}))
	mustSync(t, s, source("acme/two", sha('b'), map[string]string{
		"catalog-info.yaml": component("a", "t") + "---\napiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: shop\n  namespace: sales\nspec:\n  owner: t\n",
	}))
	want := `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: portico-catalog
  description: Every entity recorded by portico, one file each.
spec:
  targets:
    - ./catalog/default/component/a.yaml
    - ./catalog/default/component/b.yaml
    - ./catalog/sales/system/shop.yaml
`
	if got := gitCLI(t, dir, "show", "main:catalog-info.yaml"); got != want {
		t.Errorf("Location =\n%s\nwant\n%s", got, want)
	}
	if _, err := s.Remove(context.Background(), "acme/two"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Remove(context.Background(), "acme/one"); err != nil {
		t.Fatal(err)
	}
	if got := gitCLI(t, dir, "show", "main:catalog-info.yaml"); got != want[:len(want)-len("    - ./catalog/default/component/a.yaml\n    - ./catalog/default/component/b.yaml\n    - ./catalog/sales/system/shop.yaml\n")-len("  targets:\n")]+"  targets: []\n" {
		t.Errorf("empty Location =\n%s", got)
	}
}
