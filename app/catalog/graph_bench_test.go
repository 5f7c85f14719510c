package catalog

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
)

// apiWebSource is a catalog where the blast radius spreads through APIs:
// n components, each providing its own API, consuming the APIs of the
// three before it and depending on one of 50 databases.
func apiWebSource(n int) Source {
	files := map[string]string{}
	for i := range 50 {
		files[fmt.Sprintf("db/%02d.yaml", i)] = fmt.Sprintf("apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: db-%02d\nspec:\n  type: database\n  owner: team-a\n", i)
	}
	for i := range n {
		spec := fmt.Sprintf("  dependsOn: [resource:db-%02d]\n  providesApis: [api-%05d]\n  consumesApis: [api-%05d, api-%05d, api-%05d]\n", i%50, i, (i+n-1)%n, (i+n-2)%n, (i+n-3)%n)
		files[fmt.Sprintf("svc/%05d.yaml", i)] = component(fmt.Sprintf("svc-%05d", i), "team-a") + spec
	}
	return source("acme/web", sha('a'), files)
}

// BenchmarkGraph walks the blast radius of one database in a catalog of
// 10,050 entities whose APIs chain every component to the next: the
// whole catalog is reached through providers and their consumers.
func BenchmarkGraph(b *testing.B) {
	dir := b.TempDir() + "/central.git"
	s, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Wait)
	if _, err := s.Sync(context.Background(), apiWebSource(10000)); err != nil {
		b.Fatal(err)
	}
	c, err := Load(context.Background(), dir, "")
	if err != nil {
		b.Fatal(err)
	}
	db := descriptor.Ref{Kind: "Resource", Namespace: "default", Name: "db-00"}
	runtime.GC() // the build's garbage is not the walk's
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		n = len(c.Graph(db).Nodes)
	}
	reportMS(b)
	b.ReportMetric(float64(n), "entities")
}
