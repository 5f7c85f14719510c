package catalog

import (
	"fmt"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
)

// location is a Location descriptor named name with these targets.
func location(name string, targets ...string) string {
	return "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: " + name +
		"\nspec:\n  targets:\n    - " + strings.Join(targets, "\n    - ") + "\n"
}

// TestSyncLocationTargets: a Location whose targets leave its repository
// or organisation is reported at the target's line and not recorded, so
// the root Location never lists it; the others are recorded, and the
// hosts allowed widen what is accepted.
func TestSyncLocationTargets(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t, WithLocationHosts([]string{"backstage.example.com"}))
	res := mustSync(t, s, source("acme/web", sha('a'), map[string]string{
		"services/catalog-info.yaml": location("inside", "./api.yaml", "../catalog-info.yaml", "https://github.com/acme/other/blob/main/x.yaml", "https://backstage.example.com/x.yaml"),
		"passwd.yaml":                location("passwd", "./ok.yaml", "file:///etc/passwd"),
		"other.yaml":                 location("other-org", "https://github.com/evil/repo/blob/main/catalog-info.yaml"),
		"climb.yaml":                 location("climb", "../../x.yaml"),
	}))
	if fmt.Sprint(res.Added) != "[catalog/default/location/inside.yaml]" {
		t.Errorf("added %v, want the Location inside the organisation only", res.Added)
	}
	var got []string
	for _, inv := range res.Invalid {
		for _, f := range inv.Findings {
			got = append(got, fmt.Sprintf("%s:%d:%d %s %s", inv.SourcePath, f.Line, f.Column, inv.Entity, f.Rule))
		}
	}
	want := "climb.yaml:7:7 location:default/climb catalog/location-target|" +
		"other.yaml:7:7 location:default/other-org catalog/location-target|" +
		"passwd.yaml:8:7 location:default/passwd catalog/location-target"
	if strings.Join(got, "|") != want {
		t.Errorf("invalid:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.ReplaceAll(want, "|", "\n"))
	}
	root := gitCLI(t, dir, "show", "main:"+LocationFile)
	if strings.Contains(root, "passwd") || strings.Contains(root, "other-org") || !strings.Contains(root, "./catalog/default/location/inside.yaml") {
		t.Errorf("root Location:\n%s", root)
	}
}

// TestLocationScopeOfSource: a source's organisation is its owner on the
// server of its web address; a local source has none.
func TestLocationScopeOfSource(t *testing.T) {
	t.Parallel()
	s := &Store{locationHosts: []string{"h"}}
	tests := []struct {
		src  Source
		want descriptor.LocationScope
	}{
		{Source{Repo: "acme/web", URL: "https://github.com/acme/web"}, descriptor.LocationScope{File: "f", Server: "https://github.com", Org: "acme", Hosts: []string{"h"}}},
		{Source{Repo: "acme/web", URL: "https://ghe.example.com/acme/web"}, descriptor.LocationScope{File: "f", Server: "https://ghe.example.com", Org: "acme", Hosts: []string{"h"}}},
		{Source{Repo: "local/web", URL: "/home/me/web"}, descriptor.LocationScope{File: "f", Hosts: []string{"h"}}},
	}
	for _, tt := range tests {
		if got := s.locationScope(tt.src, "f"); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("locationScope(%+v) = %+v, want %+v", tt.src, got, tt.want)
		}
	}
}

// TestSyncDropsARecordedUnsafeLocation: a Location recorded before
// targets were checked (here: recorded while its host was allowed) goes
// when its source's next sync refuses it, instead of staying for good; a
// refused change to a safe recorded Location keeps the safe version.
func TestSyncDropsARecordedUnsafeLocation(t *testing.T) {
	t.Parallel()
	_, dir := openTemp(t)
	loose, err := Open(dir, WithLocationHosts([]string{"evil.example.com"}))
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, loose, source("acme/web", sha('a'), map[string]string{
		"a.yaml": location("unsafe", "https://evil.example.com/x.yaml"),
		"b.yaml": location("safe", "./x.yaml"),
	}))
	loose.Wait()
	strict, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(strict.Wait)
	res := mustSync(t, strict, source("acme/web", sha('b'), map[string]string{
		"a.yaml": location("unsafe", "https://evil.example.com/y.yaml"),
		"b.yaml": location("safe", "file:///etc/passwd"),
	}))
	if fmt.Sprint(res.Deleted) != "[catalog/default/location/unsafe.yaml]" || len(res.Invalid) != 2 {
		t.Errorf("deleted %v, invalid %+v; want the unsafe record deleted and both refused", res.Deleted, res.Invalid)
	}
	if got := gitCLI(t, dir, "show", "main:catalog/default/location/safe.yaml"); !strings.Contains(got, "./x.yaml") {
		t.Errorf("the safe version did not stay:\n%s", got)
	}
}
