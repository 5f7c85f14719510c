package catalog

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
)

func loadShop(t *testing.T) *Catalog {
	t.Helper()
	_, dir := shopCatalog(t)
	c, err := Load(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func keys(refs []descriptor.Ref) string {
	var out []string
	for _, r := range refs {
		out = append(out, r.String())
	}
	return strings.Join(out, " ")
}

func TestDependents(t *testing.T) {
	t.Parallel()
	c := loadShop(t)
	cases := []struct {
		changed []descriptor.Ref
		want    string
	}{
		{[]descriptor.Ref{ref("API", "payments-api")}, "component:default/cart component:default/cart-ui component:default/pay"},
		{[]descriptor.Ref{ref("Resource", "db")}, "component:default/audit component:default/cart component:default/cart-ui"},
		{[]descriptor.Ref{ref("System", "shop")}, "component:default/pay"},
		{[]descriptor.Ref{ref("Component", "cart-ui")}, ""},
		{[]descriptor.Ref{ref("Component", "pay"), ref("component", "PAY")}, ""},
		{[]descriptor.Ref{ref("Component", "missing")}, ""},
	}
	for _, tc := range cases {
		if got := keys(c.Dependents(tc.changed...)); got != tc.want {
			t.Errorf("Dependents(%v) = %q, want %q", tc.changed, got, tc.want)
		}
	}
}

func TestGraphGolden(t *testing.T) {
	t.Parallel()
	c := loadShop(t)
	g := c.Graph(ref("Resource", "db"), ref("API", "payments-api"))
	for _, f := range []string{FormatText, FormatMermaid, FormatDOT} {
		out, err := g.Render(f)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "shop."+f, out)
	}
	if _, err := g.Render("svg"); err == nil {
		t.Error("Render(svg): no error")
	}
	golden(t, "shop.blast.md", c.BlastRadius([]descriptor.Ref{ref("API", "payments-api")}))
	golden(t, "none.blast.md", c.BlastRadius([]descriptor.Ref{ref("Component", "lonely")}))
}

func TestBlastRadiusBounded(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	files := map[string]string{"core.yaml": component("core", "t")}
	for i := range 60 {
		files[fmt.Sprintf("s%02d.yaml", i)] = component(fmt.Sprintf("svc-%02d", i), "t") + "  dependsOn: [component:core]\n"
	}
	mustSync(t, s, source("acme/big", sha('a'), files))
	c, err := Load(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	md := c.BlastRadius([]descriptor.Ref{ref("Component", "core")})
	if n := strings.Count(md, "[\""); n != MaxBlastNodes {
		t.Errorf("%d nodes drawn, want %d", n, MaxBlastNodes)
	}
	if !strings.Contains(md, "60 catalog entities depend") || !strings.Contains(md, "… and 11 more") {
		t.Errorf("summary:\n%s", md)
	}
}

func TestMermaidEscapes(t *testing.T) {
	t.Parallel()
	g := (&Catalog{entities: map[string]*Record{}, affects: map[string][]edge{}}).Graph(descriptor.Ref{Kind: "x", Namespace: "d", Name: `a"<b>|c`})
	if m := g.Mermaid(0); !strings.Contains(m, `n0["x:d/a#quot;#lt;b#gt;#124;c"]`) {
		t.Errorf("mermaid:\n%s", m)
	}
	if d := g.DOT(); !strings.Contains(d, `"x:d/a\"<b>|c"`) {
		t.Errorf("dot:\n%s", d)
	}
}
