package descriptor

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParseValidate reads and validates a realistic multi-document
// file: Backstage's own example organisation, entities and template.
func BenchmarkParseValidate(b *testing.B) {
	var data []byte
	for _, p := range []string{"create-app/org.yaml", "create-app/entities.yaml", "create-app/template.yaml", "catalog-model/acme-org.yaml", "catalog-model/artist-lookup-component.yaml"} {
		part, err := os.ReadFile(filepath.Join(repoRoot, "testdata/parity/backstage", p))
		if err != nil {
			b.Fatal(err)
		}
		data = append(append(data, "---\n"...), part...)
	}
	docs := len(Parse(data, 0).Documents)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		parseValidate(data)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*docs), "ns/doc")
}

// BenchmarkValidate isolates the rules from the YAML parser.
func BenchmarkValidate(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "testdata/parity/backstage/create-app/entities.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	docs := Parse(data, 0).Documents
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			d.Findings = d.Findings[:0]
			Validate(d)
		}
	}
}
