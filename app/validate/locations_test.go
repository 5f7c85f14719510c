package validate

import (
	"context"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
)

// TestCheckerLocations: with a scope, a Location target outside it is an
// error at its line; without one, Location targets are not checked.
func TestCheckerLocations(t *testing.T) {
	t.Parallel()
	doc := []byte("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: x\nspec:\n  targets:\n    - ./a.yaml\n    - https://github.com/evil/x/blob/main/y.yaml\n")
	var asked []string
	scoped := NewChecker(nil, 0).WithLocations(func(path string) descriptor.LocationScope {
		asked = append(asked, path)
		return descriptor.LocationScope{File: path, Server: "https://github.com", Org: "acme"}
	})
	f := scoped.Check(context.Background(), "services/catalog-info.yaml", doc)
	fs := f.Documents[0].Findings
	if len(fs) != 1 || fs[0].Rule != descriptor.RuleLocationTarget || fs[0].Line != 8 || fs[0].Column != 7 || f.Documents[0].Valid {
		t.Errorf("findings %+v, want one error at 8:7", fs)
	}
	if len(asked) != 1 || asked[0] != "services/catalog-info.yaml" {
		t.Errorf("scope asked for %q", asked)
	}
	if f := NewChecker(nil, 0).Check(context.Background(), "x.yaml", doc); len(f.Documents[0].Findings) != 0 {
		t.Errorf("unscoped findings %+v", f.Documents[0].Findings)
	}
}
