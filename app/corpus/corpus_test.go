package corpus

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
)

// TestGenerateIsRealisticAndDeterministic checks the corpus the benchmark
// relies on: about 1.6 documents a file, the broken share really broken by
// Backstage's rules, and the same tree for the same seed.
func TestGenerateIsRealisticAndDeterministic(t *testing.T) {
	t.Parallel()
	a, b := t.TempDir(), t.TempDir()
	st, err := Generate(a, 500, 7)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(b, 500, 7); err != nil {
		t.Fatal(err)
	}
	if st.Files != 500 || st.Documents < 700 || st.Documents > 900 || st.Broken == 0 {
		t.Fatalf("stats %+v, want 500 files, about 800 documents, some broken", st)
	}
	docs, invalid := 0, 0
	err = filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		other, _ := os.ReadFile(filepath.Join(b, must(filepath.Rel(a, p))))
		if string(data) != string(other) {
			t.Errorf("%s differs between two runs with the same seed", p)
		}
		f := descriptor.Parse(data, 0)
		for _, doc := range f.Documents {
			descriptor.Validate(doc)
			docs++
			if !doc.Valid() {
				invalid++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if docs != st.Documents || invalid != st.Broken {
		t.Errorf("parsed %d documents, %d invalid; generator said %d and %d", docs, invalid, st.Documents, st.Broken)
	}
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}
