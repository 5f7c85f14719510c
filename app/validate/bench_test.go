package validate

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/portico-dev/portico/app/corpus"
	"github.com/portico-dev/portico/app/policy"
	"github.com/portico-dev/portico/app/report"
	"github.com/portico-dev/portico/policies"
)

// BenchmarkCorpus compares, on the same 10,000 files (about 16,000
// documents) and with the same parallelism, a full validation with the
// default policy bundle against merely reading and yaml.v3-decoding them.
func BenchmarkCorpus(b *testing.B) {
	dir := b.TempDir()
	if _, err := corpus.Generate(dir, 10000, 1); err != nil {
		b.Fatal(err)
	}
	// The GC setting `portico validate` runs with, for all three.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	b.Run("read-decode", func(b *testing.B) {
		for b.Loop() {
			readDecode(b, dir)
		}
	})
	b.Run("backstage-only", func(b *testing.B) {
		benchRun(b, dir, NewChecker(nil, 0))
	})
	b.Run("backstage-only+references", func(b *testing.B) {
		benchRun(b, dir, NewChecker(nil, 0).WithReferences(References{Catalog: knownSet{}}))
	})
	b.Run("portico", func(b *testing.B) {
		eng, err := policy.New(context.Background(), policies.FS)
		if err != nil {
			b.Fatal(err)
		}
		benchRun(b, dir, NewChecker(eng, 0))
	})
}

func benchRun(b *testing.B, dir string, c *Checker) {
	for b.Loop() {
		w, err := report.New("json", io.Discard, report.Options{})
		if err != nil {
			b.Fatal(err)
		}
		res, err := Run(context.Background(), c, []string{dir}, w, Options{})
		if err != nil || res.Summary.Files != 10000 {
			b.Fatalf("run: %v, %+v", err, res.Summary)
		}
	}
}

// readDecode is the floor: walk, read and decode every document into Go
// values, nothing more, with as many workers as a run uses.
func readDecode(b *testing.B, dir string) {
	paths := make(chan string, 64)
	go func() {
		defer close(paths)
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				paths <- p
			}
			return nil
		})
	}()
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range paths {
				decodeAll(b, p)
			}
		}()
	}
	wg.Wait()
}

func decodeAll(b *testing.B, p string) {
	data, err := os.ReadFile(p)
	if err != nil {
		b.Error(err)
		return
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var v any
		if err := dec.Decode(&v); err != nil {
			if err != io.EOF {
				b.Error(err)
			}
			return
		}
	}
}
