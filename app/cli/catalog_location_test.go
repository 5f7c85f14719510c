package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const hostileLocation = `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: everything
spec:
  targets:
    - ./services/catalog-info.yaml
    - file:///etc/passwd
    - https://github.com/other-org/repo/blob/main/catalog-info.yaml
    - https://github.com/acme/repo/blob/main/catalog-info.yaml
    - https://backstage.example.com/catalog-info.yaml
`

// TestValidateLocationTargets: portico validate reports, at their lines,
// the Location targets outside the checkout's repository and the
// organisation its origin names; without an origin only relative targets
// pass; PORTICO_CATALOG_LOCATION_HOSTS allows more hosts, never a file:
// URL.
func TestValidateLocationTargets(t *testing.T) {
	t.Parallel()
	acme := sourceRepo(t, "git@github.com:acme/web.git", map[string]string{"catalog-info.yaml": hostileLocation})
	plain := t.TempDir()
	must(t, os.WriteFile(filepath.Join(plain, "catalog-info.yaml"), []byte(hostileLocation), 0o644))
	tests := []struct {
		dir   string
		env   map[string]string
		lines string // lines of the catalog/location-target findings
	}{
		{acme, nil, "8 9 11"},
		{acme, map[string]string{"PORTICO_CATALOG_LOCATION_HOSTS": "backstage.example.com, github.com/other-org"}, "8"},
		{plain, nil, "8 9 10 11"},
	}
	for _, tt := range tests {
		file := filepath.Join(tt.dir, "catalog-info.yaml")
		code, out := runMainEnv(t, tt.env, "validate", "--backstage-only", file)
		var lines []string
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "catalog/location-target") {
				lines = append(lines, strings.Split(strings.TrimPrefix(l, file+":"), ":")[0])
			}
		}
		if got := strings.Join(lines, " "); got != tt.lines || code != ExitFindings {
			t.Errorf("%s with %v: exit %d, findings at lines %q, want %d and %q\n%s", tt.dir, tt.env, code, got, ExitFindings, tt.lines, out)
		}
	}
}

// TestCatalogSyncLocationTargets: catalog sync does not record a Location
// with a target outside the organisation, says so at the target's line,
// and exits 1; the root Location does not list it.
func TestCatalogSyncLocationTargets(t *testing.T) {
	t.Parallel()
	central := filepath.Join(t.TempDir(), "central.git")
	src := sourceRepo(t, "https://github.com/acme/web.git", map[string]string{
		"catalog-info.yaml":     hostileLocation,
		"ok/catalog-info.yaml":  strings.Replace(strings.Split(hostileLocation, "    - file")[0], "everything", "inside", 1),
		"svc/catalog-info.yaml": strings.ReplaceAll(catalogComponent, "%s", "svc"),
	})
	code, out := runCatalog(t, "--central", central, src)
	if code != ExitFindings || !strings.Contains(out, "(+2 ~0 -0, 2 scores)") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
	for _, want := range []string{
		"invalid: catalog-info.yaml:8:7 location:default/everything: target \"file:///etc/passwd\" is a file: URL",
		"invalid: catalog-info.yaml:9:7 location:default/everything: target \"https://github.com/other-org/repo/blob/main/catalog-info.yaml\" is outside https://github.com/acme/",
		"invalid: catalog-info.yaml:11:7 location:default/everything",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	files := gitRun(t, central, "ls-tree", "-r", "--name-only", "main", "catalog")
	if files != "catalog/default/component/svc.yaml\ncatalog/default/location/inside.yaml\n" {
		t.Errorf("recorded:\n%s", files)
	}
	if root := gitRun(t, central, "show", "main:catalog-info.yaml"); strings.Contains(root, "everything") {
		t.Errorf("root Location lists the refused one:\n%s", root)
	}
}
