package catalogsync

import (
	"slices"
	"testing"

	"github.com/portico-dev/portico/app/catalog"
)

// Each template a repository's entities name is told once, with the
// version its first entity records; entities without both annotations
// are not.
func TestTemplateUses(t *testing.T) {
	t.Parallel()
	file := `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: pay
  annotations:
    backstage.io/source-template: template:default/svc
    portico.dev/template-version: 1.2.0
spec: {type: service, lifecycle: production, owner: team}
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: pay-api
  annotations:
    backstage.io/source-template: template:default/svc
    portico.dev/template-version: 1.1.0
spec: {type: openapi, lifecycle: production, owner: team, definition: x}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: site
  annotations:
    backstage.io/source-template: site
spec: {type: website, lifecycle: production, owner: team}
`
	got := templateUses(catalog.ParseFile("catalog-info.yaml", []byte(file), 1<<20))
	if want := []TemplateUse{{Template: "svc", Version: "1.2.0"}}; !slices.Equal(got, want) {
		t.Errorf("uses %v, want %v", got, want)
	}
}
