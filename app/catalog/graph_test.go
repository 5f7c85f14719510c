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
		// pay belongs to shop and provides payments-api, which cart
		// consumes: what breaks pay breaks cart and its subcomponent.
		{[]descriptor.Ref{ref("System", "shop")}, "api:default/payments-api component:default/cart component:default/cart-ui component:default/pay"},
		{[]descriptor.Ref{ref("Component", "cart-ui")}, ""},
		{[]descriptor.Ref{ref("Component", "pay"), ref("component", "PAY")}, "api:default/payments-api component:default/cart component:default/cart-ui"},
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

// paymentsFiles is issue 9's example: payments depends on a database and
// provides an API that cart consumes; cart-worker is part of cart, and
// cart provides an API of its own that web consumes. billing provides
// payments-api too, and ledger consumes an API nobody records.
func paymentsFiles(withAPI bool) map[string]string {
	files := map[string]string{
		"db.yaml":       "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: payments-db\nspec:\n  type: database\n  owner: team-a\n",
		"payments.yaml": component("payments", "team-a") + "  dependsOn: [resource:payments-db]\n  providesApis: [payments-api, ledger-api]\n",
		"billing.yaml":  component("billing", "team-a") + "  providesApis: [payments-api]\n",
		"cart.yaml":     component("cart", "team-a") + "  consumesApis: [payments-api]\n  providesApis: [cart-api]\n",
		"worker.yaml":   component("cart-worker", "team-a") + "  subcomponentOf: cart\n",
		"web.yaml":      component("web", "team-a") + "  consumesApis: [api:default/cart-api]\n",
		"ledger.yaml":   component("ledger", "team-a") + "  consumesApis: [ledger-api]\n",
		"lonely.yaml":   component("lonely", "team-a"),
	}
	if withAPI {
		for _, n := range []string{"payments-api", "cart-api"} {
			files[n+".yaml"] = "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: " + n + "\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition: x\n"
		}
	}
	return files
}

func loadPayments(t *testing.T, withAPI bool) *Catalog {
	t.Helper()
	s, dir := openTemp(t)
	mustSync(t, s, source("acme/payments", sha('a'), paymentsFiles(withAPI)))
	c, err := Load(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBlastRadiusFollowsAPIs: the dependents of a change reach past a
// provider to the consumers of the APIs it provides, theirs, and their
// subcomponents, whether or not the API is in the catalog; the API's
// other providers are not affected by one provider breaking.
func TestBlastRadiusFollowsAPIs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		withAPI bool
		changed descriptor.Ref
		want    string
	}{
		{true, ref("Resource", "payments-db"), "api:default/cart-api api:default/payments-api component:default/cart component:default/cart-worker component:default/ledger component:default/payments component:default/web"},
		{false, ref("Resource", "payments-db"), "component:default/cart component:default/cart-worker component:default/ledger component:default/payments component:default/web"},
		{true, ref("Component", "cart-worker"), ""},
		{true, ref("Component", "billing"), "api:default/cart-api api:default/payments-api component:default/cart component:default/cart-worker component:default/web"},
		// A change to the API itself reaches every provider and consumer.
		{true, ref("API", "payments-api"), "api:default/cart-api component:default/billing component:default/cart component:default/cart-worker component:default/ledger component:default/payments component:default/web"},
	}
	for _, tc := range cases {
		c := loadPayments(t, tc.withAPI)
		if got := keys(c.Dependents(tc.changed)); got != tc.want {
			t.Errorf("withAPI=%v: Dependents(%v) =\n  %q\nwant\n  %q", tc.withAPI, tc.changed, got, tc.want)
		}
	}
}

// TestBlastRadiusFollowsAPIsGolden renders issue 9's example, with the API
// in the catalog and without it.
func TestBlastRadiusFollowsAPIsGolden(t *testing.T) {
	t.Parallel()
	for name, withAPI := range map[string]bool{"payments": true, "payments-noapi": false} {
		c := loadPayments(t, withAPI)
		g := c.Graph(ref("Resource", "payments-db"))
		for _, f := range []string{FormatText, FormatMermaid, FormatDOT} {
			out, err := g.Render(f)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, name+"."+f, out)
		}
		golden(t, name+".blast.md", c.BlastRadius([]descriptor.Ref{ref("Resource", "payments-db")}))
	}
}
