package descriptor

import (
	"fmt"
	"strings"
	"testing"
)

// acmeScope is a descriptor at services/cart/catalog-info.yaml of a
// repository of acme on github.com, with one more host allowed whole and
// one organisation of github.com allowed by prefix.
var acmeScope = LocationScope{File: "services/cart/catalog-info.yaml", Server: "https://github.com", Org: "acme",
	Hosts: []string{"backstage.example.com", "https://github.com/backstage/"}}

func TestLocationTargets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		target string
		scope  LocationScope
		ok     bool
	}{
		{"./api.yaml", acmeScope, true},
		{"api.yaml", acmeScope, true},
		{"../../catalog-info.yaml", acmeScope, true},
		{"./**/catalog-info.yaml", acmeScope, true},
		{"../../../x.yaml", acmeScope, false},
		{"./%2e%2e/%2E%2e/../x.yaml", acmeScope, false},
		{`..\..\..\x.yaml`, acmeScope, false},
		{"a/../../../../x", acmeScope, false},
		{"../../x.yaml?../../..", acmeScope, true},
		{"/etc/passwd", acmeScope, false},
		{`\etc\passwd`, acmeScope, false},
		{"file:///etc/passwd", acmeScope, false},
		{"FILE:/etc/passwd", acmeScope, false},
		{" \tfile:///etc/passwd", acmeScope, false},
		{"https://github.com/acme/web/blob/main/catalog-info.yaml", acmeScope, true},
		{"https://GitHub.com/ACME/web/blob/main/catalog-info.yaml", acmeScope, true},
		{"https://github.com/evil/web/blob/main/catalog-info.yaml", acmeScope, false},
		{"https://github.com/acme/../evil/x.yaml", acmeScope, false},
		{"https://github.com/acme/%2e%2e/evil/x.yaml", acmeScope, false},
		{`https:\\github.com\evil\x.yaml`, acmeScope, false},
		{"https://github.com@evil.com/acme/x.yaml", acmeScope, false},
		{"https://acme@github.com/acme/x.yaml", acmeScope, false},
		{"https://github.com.evil.com/acme/x.yaml", acmeScope, false},
		{"http://github.com/acme/x.yaml", acmeScope, false},
		{"//evil.com/acme/x.yaml", acmeScope, false},
		{"//github.com/acme/x.yaml", acmeScope, true},
		{"https://github.com/backstage/software-templates/blob/main/t.yaml", acmeScope, true},
		{"https://github.com/backstagex/t.yaml", acmeScope, false},
		{"https://backstage.example.com/any/where.yaml", acmeScope, true},
		{"https://backstage.example.com./any.yaml", acmeScope, true},
		{"https://backstage.example.com:8443/any.yaml", acmeScope, false},
		{"https://raw.githubusercontent.com/acme/web/main/x.yaml", acmeScope, false},
		{"ftp://github.com/acme/x", acmeScope, false},
		{"javascript:alert(1)", acmeScope, false},
		// Without an origin, only relative targets stay.
		{"./x.yaml", LocationScope{File: "catalog-info.yaml"}, true},
		{"../x.yaml", LocationScope{File: "catalog-info.yaml"}, false},
		{"https://github.com/acme/x.yaml", LocationScope{File: "catalog-info.yaml"}, false},
		// GitHub Enterprise Server, and the fake GitHub's http address.
		{"https://ghe.example.com/acme/x/blob/main/y.yaml", LocationScope{Server: "https://ghe.example.com", Org: "acme"}, true},
		{"https://github.com/acme/x/blob/main/y.yaml", LocationScope{Server: "https://ghe.example.com", Org: "acme"}, false},
		{"http://127.0.0.1:3000/acme/x", LocationScope{Server: "http://127.0.0.1:3000", Org: "acme"}, true},
		{"http://127.0.0.1:3001/acme/x", LocationScope{Server: "http://127.0.0.1:3000", Org: "acme"}, false},
	}
	for _, tt := range tests {
		why := tt.scope.refuse(tt.target)
		if (why == "") != tt.ok {
			t.Errorf("target %q in %+v: refused %q, want ok=%v", tt.target, tt.scope, why, tt.ok)
		}
	}
}

// TestCheckLocationAtLine: each target outside the scope is reported at
// its own line and column, with its path; a type other than url too.
func TestCheckLocationAtLine(t *testing.T) {
	t.Parallel()
	doc := `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: everything
spec:
  type: file
  target: ./ok.yaml
  targets:
    - ./services/a.yaml
    - file:///etc/passwd
    - https://github.com/other-org/repo/blob/main/catalog-info.yaml
    - https://github.com/acme/repo/blob/main/catalog-info.yaml
`
	f := Parse([]byte(doc), 0)
	got := CheckLocation(f.Documents[0], LocationScope{File: "catalog-info.yaml", Server: "https://github.com", Org: "acme"})
	var lines []string
	for _, fd := range got {
		if fd.Rule != RuleLocationTarget || fd.Severity != SeverityError {
			t.Errorf("finding %+v", fd)
		}
		lines = append(lines, fmt.Sprintf("%d:%d %s", fd.Line, fd.Column, fd.Path))
	}
	if want := "6:9 spec.type|10:7 spec.targets[1]|11:7 spec.targets[2]"; strings.Join(lines, "|") != want {
		t.Errorf("findings at %q, want %q\n%+v", strings.Join(lines, "|"), want, got)
	}
	if !strings.Contains(got[2].Message, "is outside https://github.com/acme/") {
		t.Errorf("message %q does not say where targets may point", got[2].Message)
	}
	component := Parse([]byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: x}\nspec: {target: file:///etc/passwd}\n"), 0)
	if fs := CheckLocation(component.Documents[0], LocationScope{}); len(fs) != 0 {
		t.Errorf("a Component got %+v", fs)
	}
}

// FuzzLocationTarget checks that no target panics, and that a relative
// target accepted from a repository's root never climbs above it.
func FuzzLocationTarget(f *testing.F) {
	for _, s := range []string{"./a.yaml", "../x", "%2e%2e/x", "https://github.com/acme/x", "//h/x", "file:///etc", `..\x`, "https://a@b/c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		s := LocationScope{File: "catalog-info.yaml", Server: "https://github.com", Org: "acme"}
		if s.refuse(target) != "" {
			return
		}
		low := strings.ToLower(strings.ReplaceAll(target, `\`, "/"))
		if !strings.Contains(low, ":") && !strings.Contains(low, "?") && !strings.Contains(low, "#") && !strings.HasPrefix(strings.TrimSpace(low), "//") {
			depth := 0
			for _, seg := range strings.Split(strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(strings.TrimSpace(low)), "/") {
				switch seg {
				case "..", ".%2e", "%2e.", "%2e%2e":
					depth--
				case "", ".", "%2e":
				default:
					depth++
				}
				if depth < 0 {
					t.Fatalf("target %q accepted, but it climbs out of the repository", target)
				}
			}
		}
	})
}
