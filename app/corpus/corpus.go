// Package corpus generates synthetic catalog descriptor trees: realistic
// repositories of catalog-info.yaml files, a share of them broken, for
// benchmarks and load tests. The same seed gives the same tree.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Stats describes a generated tree.
type Stats struct {
	Files     int
	Documents int
	Broken    int // documents generated with a deliberate error
	Bytes     int64
}

// Generate writes files descriptor files under dir, one repository
// directory each, and returns what it wrote.
func Generate(dir string, files int, seed uint64) (Stats, error) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var st Stats
	for i := range files {
		text, docs, broken := file(r, i)
		p := filepath.Join(dir, fmt.Sprintf("team-%02d", i%40), fmt.Sprintf("svc-%05d", i), "catalog-info.yaml")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return st, fmt.Errorf("generate corpus: %w", err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return st, fmt.Errorf("generate corpus: %w", err)
		}
		st.Files++
		st.Documents += docs
		st.Broken += broken
		st.Bytes += int64(len(text))
	}
	return st, nil
}

// file returns one descriptor file: a component, and often the API it
// provides and the resource it uses, as repositories really declare them.
// About 16 documents per 10 files, one document in 20 broken.
func file(r *rand.Rand, i int) (string, int, int) {
	var b strings.Builder
	docs, broken := 0, 0
	add := func(tmpl func(*rand.Rand, int, bool) string) {
		if docs > 0 {
			b.WriteString("---\n")
		}
		bad := r.IntN(20) == 0
		if bad {
			broken++
		}
		b.WriteString(tmpl(r, i, bad))
		docs++
	}
	add(component)
	if r.IntN(10) < 4 {
		add(api)
	}
	if r.IntN(10) < 2 {
		add(resource)
	}
	return b.String(), docs, broken
}
