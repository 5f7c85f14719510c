package catalog

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestNormalizeGolden(t *testing.T) {
	t.Parallel()
	in, err := os.ReadFile(filepath.Join("testdata", "normalize.in.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var got []byte
	for _, e := range ParseFile("services/shop/catalog-info.yaml", in, 0) {
		if !e.valid() {
			t.Fatalf("input entity invalid: %+v", e.Document.Findings)
		}
		for _, url := range []string{"https://github.com/acme/shop.git/", "/src/shop"} {
			data, err := normalize(e, provenance{repo: "acme/shop", url: url, commit: sha('a'), path: e.Path})
			if err != nil {
				t.Fatal(err)
			}
			got = append(append(got, "---\n"...), data...)
		}
	}
	golden := filepath.Join("testdata", "normalize.golden.yaml")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("normalized entities differ from %s (run with -update):\n%s", golden, got)
	}
}
