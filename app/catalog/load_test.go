package catalog

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
)

const (
	apiDoc    = "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: payments-api\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition: x\n"
	systemDoc = "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: shop\nspec:\n  owner: team-a\n"
	dbDoc     = "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: db\nspec:\n  type: database\n  owner: team-a\n  dependencyOf: [component:audit]\n"
)

// shopCatalog records a small shop: pay provides the payments API and is
// part of the shop system; cart consumes it and depends on the db; cart-ui
// is a subcomponent of cart; audit is declared a dependent of db by db.
func shopCatalog(t *testing.T) (*Store, string) {
	t.Helper()
	s, dir := openTemp(t)
	mustSync(t, s, source("acme/shop", sha('a'), map[string]string{
		"api.yaml":       apiDoc,
		"system.yaml":    systemDoc,
		"db.yaml":        dbDoc,
		"pay.yaml":       component("pay", "team-a") + "  providesApis: [payments-api]\n  system: shop\n",
		"cart.yaml":      component("Cart", "team-a") + "  consumesApis: [payments-api]\n  dependsOn: [resource:db]\n",
		"cartui.yaml":    component("cart-ui", "team-a") + "  subcomponentOf: cart\n",
		"audit.yaml":     component("audit", "team-a"),
		"unrelated.yaml": component("lonely", "team-b"),
	}))
	return s, dir
}

func ref(kind, name string) descriptor.Ref {
	return descriptor.Ref{Kind: kind, Namespace: "default", Name: name}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	s, dir := shopCatalog(t)
	c, err := Load(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 8 || c.Commit == "" {
		t.Fatalf("loaded %d entities at %q", c.Len(), c.Commit)
	}
	rec, ok := c.Get(ref("COMPONENT", "cart"))
	if !ok || rec.Ref.Name != "Cart" || rec.SourceRepo != "acme/shop" || rec.Path != "catalog/default/component/cart.yaml" {
		t.Fatalf("cart = %+v, %v", rec, ok)
	}
	wantRel := []Relation{{"spec.owner", ref("Group", "team-a")}, {"spec.consumesApis", ref("API", "payments-api")}, {"spec.dependsOn", ref("resource", "db")}}
	if !reflect.DeepEqual(rec.Relations, wantRel) {
		t.Errorf("relations %+v, want %+v", rec.Relations, wantRel)
	}
	if c.Has(ref("Group", "team-a")) {
		t.Error("Has(group team-a): the catalog records no groups")
	}
	first := c.Commit
	mustSync(t, s, source("acme/shop", sha('b'), map[string]string{"audit.yaml": component("audit", "team-a")}))
	old, err := Load(context.Background(), dir, first)
	if err != nil || old.Len() != 8 {
		t.Fatalf("load at %s: %v entities, %v", first, old, err)
	}
	now, err := Load(context.Background(), dir, "main")
	if err != nil || now.Len() != 1 {
		t.Fatalf("load at main: %v, %v", now, err)
	}
	l := NewLoader()
	for _, rev := range []string{first, "main", first} {
		c, err := l.Load(context.Background(), dir, rev)
		if want := map[bool]int{true: 8, false: 1}[rev == first]; err != nil || c.Len() != want {
			t.Fatalf("Loader.Load(%s) = %v entities, %v; want %d", rev, c.Len(), err, want)
		}
	}
	if _, err := Load(context.Background(), dir, "nope"); err == nil {
		t.Error("Load at an unknown revision: no error")
	}
}

func TestLoadEmpty(t *testing.T) {
	t.Parallel()
	_, dir := openTemp(t)
	c, err := Load(context.Background(), dir, "")
	if err != nil || c.Len() != 0 || c.Commit != "" {
		t.Fatalf("empty repository: %+v, %v", c, err)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", "graph", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s--- want\n%s", name, got, want)
	}
}

// BenchmarkLoad loads a central repository of 10,000 entities: cold, as
// Load does, and again with a Loader after one entity changed.
func BenchmarkLoad(b *testing.B) {
	s, dir := benchCatalog(b, 10000)
	ctx := context.Background()
	b.Run("cold", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			c, err := Load(ctx, dir, "")
			if err != nil || c.Len() != 10000 {
				b.Fatalf("load: %v, %v", c, err)
			}
		}
		reportMS(b)
	})
	b.Run("loader-one-changed", func(b *testing.B) {
		l := NewLoader()
		if _, err := l.Load(ctx, dir, ""); err != nil {
			b.Fatal(err)
		}
		srcs := [2]Source{
			synthSource("acme/repo-0000", benchSourceSize, sha('b'), "team-b"),
			synthSource("acme/repo-0000", benchSourceSize, sha('c'), "team-c"),
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if _, err := s.Sync(ctx, srcs[i%2]); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			c, err := l.Load(ctx, dir, "")
			if err != nil || c.Len() != 10000 {
				b.Fatalf("load: %v, %v", c, err)
			}
		}
		reportMS(b)
	})
}

// TestLoadSkipsOversizedFiles reads a catalog where someone committed a
// file larger than any descriptor may be: it is left out, not read whole.
func TestLoadSkipsOversizedFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gitCLI(t, dir, "init", "-q", "-b", "main")
	files := map[string][]byte{
		"catalog/default/component/a.yaml":   []byte(component("a", "t")),
		"catalog/default/component/big.yaml": append([]byte(component("big", "t")+"# "), bytes.Repeat([]byte("x"), int(descriptor.DefaultMaxBytes))...),
	}
	for p, data := range files {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitCLI(t, dir, "add", ".")
	gitCLI(t, dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "big")
	c, err := Load(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 1 || !c.Has(descriptor.Ref{Kind: "component", Namespace: "default", Name: "a"}) {
		t.Errorf("loaded %v, want only component a", c.Refs())
	}
}
