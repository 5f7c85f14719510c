package facts

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkCheckout gathers the facts of a checkout of 5,000 tracked
// files with a fresh cache each time: what `portico score` pays once per
// repository (then once per repository and commit, from the cache).
func BenchmarkCheckout(b *testing.B) {
	dir := b.TempDir()
	for i := range 5000 {
		p := filepath.Join(dir, fmt.Sprintf("pkg%03d", i/50), fmt.Sprintf("file%d.go", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("package x\n"), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	runGit(b, dir, "init", "-q", "-b", "main")
	runGit(b, dir, "add", ".")
	runGit(b, dir, "commit", "-q", "-m", "init")
	descriptor := filepath.Join(dir, "pkg000", "file0.go")
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewCheckout().Facts(context.Background(), descriptor)
		if err != nil || len(r.Files) != 5000 {
			b.Fatalf("%d files, %v", len(r.Files), err)
		}
	}
}
