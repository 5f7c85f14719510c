package validate

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
)

// knownSet is a catalog of entity references, lower-cased.
type knownSet map[string]bool

func (k knownSet) Has(r descriptor.Ref) bool { return k[r.String()] }

func comp(name, owner, extra string) string {
	return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name +
		"\nspec:\n  type: service\n  lifecycle: production\n  owner: " + owner + "\n" + extra
}

// refFindings lists the reference findings of a run as path:line:col sev message-subject.
func refFindings(rec *recorder) []string {
	var out []string
	for _, f := range rec.files {
		for _, d := range f.Documents {
			for _, x := range d.Findings {
				if x.Rule == RuleReference {
					subject := strings.Fields(x.Message)[2]
					out = append(out, fmt.Sprintf("%s:%d:%d %s %s %s", f.Path[strings.LastIndex(f.Path, "/")+1:], x.Line, x.Column, x.Severity, x.Path, subject))
				}
			}
		}
	}
	return out
}

func TestRunReferences(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"a/catalog-info.yaml": comp("a", "Team-A", "  dependsOn: [component:b, component:ghost, Component:C]\n  consumesApis: [known-api]\n"),
		"b/catalog-info.yaml": comp("b", "team-b", "") + "---\n" + strings.Replace(goodEntity, "%s", "team-b", 1),
	})
	cat := knownSet{"group:default/team-a": true, "api:default/known-api": true}
	for _, sev := range []descriptor.Severity{"", descriptor.SeverityError} {
		rec := &recorder{}
		c := NewChecker(nil, 0).WithReferences(References{Catalog: cat, Severity: sev})
		res, err := Run(context.Background(), c, []string{StdinPath, dir}, rec, Options{Stdin: strings.NewReader(comp("c", "team-a", ""))})
		if err != nil {
			t.Fatal(err)
		}
		want := sev
		if want == "" {
			want = descriptor.SeverityWarning
		}
		got := refFindings(rec)
		if len(got) != 1 || got[0] != fmt.Sprintf("catalog-info.yaml:9:28 %s spec.dependsOn[1] component:default/ghost,", want) {
			t.Errorf("severity %q: findings %q", sev, got)
		}
		if len(rec.files) != 3 || !rec.files[0].Documents[0].Valid {
			t.Errorf("stdin not replayed for the check: %+v", rec.files[0])
		}
		if (res.Summary.Errors > 0) != (want == descriptor.SeverityError) {
			t.Errorf("severity %q: summary %+v", sev, res.Summary)
		}
	}
}

func TestRunWithoutReferences(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"a/catalog-info.yaml": comp("a", "nobody", "  dependsOn: [component:ghost]\n")})
	rec := &recorder{}
	if _, err := Run(context.Background(), NewChecker(nil, 0), []string{dir}, rec, Options{}); err != nil {
		t.Fatal(err)
	}
	if got := refFindings(rec); len(got) != 0 {
		t.Errorf("findings without a catalog: %q", got)
	}
}

func TestCheckReferencesSameFile(t *testing.T) {
	t.Parallel()
	c := NewChecker(nil, 0).WithReferences(References{Catalog: knownSet{}})
	f := c.Check(context.Background(), "x.yaml", []byte(comp("a", "team-a", "  dependsOn: [component:b]\n")+"---\n"+comp("b", "team-a", "")))
	rec := &recorder{}
	rec.files = append(rec.files, f)
	got := refFindings(rec)
	if len(got) != 2 || !strings.Contains(got[0], "spec.owner group:default/team-a") {
		t.Errorf("findings %q, want the two owners only", got)
	}
}

func TestCheckWithDeclared(t *testing.T) {
	t.Parallel()
	doc := []byte(comp("a", "team-a", "  dependsOn: [component:b]\n"))
	plain := NewChecker(nil, 0)
	if plain.WithDeclared(nil) != plain {
		t.Error("WithDeclared on a checker without references made a copy")
	}
	c := NewChecker(nil, 0).WithReferences(References{Catalog: knownSet{"group:default/team-a": true}})
	for _, tc := range []struct {
		c    *Checker
		want int
	}{{c, 1}, {c.WithDeclared([]descriptor.Ref{{Kind: "Component", Namespace: "default", Name: "B"}}), 0}} {
		rec := &recorder{files: nil}
		rec.files = append(rec.files, tc.c.Check(context.Background(), "x.yaml", doc))
		if got := refFindings(rec); len(got) != tc.want {
			t.Errorf("findings %q, want %d", got, tc.want)
		}
	}
}
