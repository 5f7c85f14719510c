package policy

import (
	"context"
	"os"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/policies"
)

func benchDocument(b *testing.B) *descriptor.Document {
	b.Helper()
	src, err := os.ReadFile("testdata/component.yaml")
	if err != nil {
		b.Fatal(err)
	}
	f := descriptor.Parse(src, 0)
	if len(f.Documents) != 1 || f.Documents[0].Root == nil {
		b.Fatalf("testdata/component.yaml: %+v", f)
	}
	return f.Documents[0]
}

// BenchmarkEval evaluates the default bundle over a realistic production
// component: the cost per document of `portico validate` over a catalog.
func BenchmarkEval(b *testing.B) {
	ctx := context.Background()
	e, err := New(ctx, policies.FS)
	if err != nil {
		b.Fatal(err)
	}
	d := benchDocument(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Eval(ctx, d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvalParallel is BenchmarkEval from GOMAXPROCS goroutines, as a
// run over many files uses the engine.
func BenchmarkEvalParallel(b *testing.B) {
	ctx := context.Background()
	e, err := New(ctx, policies.FS)
	if err != nil {
		b.Fatal(err)
	}
	d := benchDocument(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := e.Eval(ctx, d); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkToAST(b *testing.B) {
	d := benchDocument(b)
	b.ReportAllocs()
	for b.Loop() {
		toAST(d.Root)
	}
}

// BenchmarkEvalCatalog evaluates a mixed slice of a catalog, where rule
// indexing sets aside most rules for most kinds; it reports ns per
// document.
func BenchmarkEvalCatalog(b *testing.B) {
	ctx := context.Background()
	e, err := New(ctx, policies.FS)
	if err != nil {
		b.Fatal(err)
	}
	src, err := os.ReadFile("testdata/catalog.yaml")
	if err != nil {
		b.Fatal(err)
	}
	docs := descriptor.Parse(src, 0).Documents
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			if _, err := e.Eval(ctx, d); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(docs)), "ns/doc")
}
