package descriptor

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
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

// BenchmarkResolve resolves a Template whose 20 steps and parameters are
// $yaml placeholders, and an API whose definition is a $text of a 100 KB
// OpenAPI document, from files in memory.
func BenchmarkResolve(b *testing.B) {
	fsys := fstest.MapFS{
		"t/step.yaml":    {Data: []byte("id: fetch\nname: Fetch\naction: fetch:template\ninput:\n  url: ./skeleton\n  values: {name: x}\n")},
		"t/params.yaml":  {Data: []byte("title: Service\nrequired: [name]\nproperties:\n  name: {type: string}\n")},
		"t/openapi.yaml": {Data: []byte(strings.Repeat("paths: {}\n", 10000))},
	}
	text := "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: svc}\nspec:\n  type: service\n  parameters:\n    - $yaml: ./params.yaml\n  steps:\n" +
		strings.Repeat("    - $yaml: ./step.yaml\n", 20) +
		"---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: a}\nspec: {type: openapi, lifecycle: x, owner: t, definition: {$text: ./openapi.yaml}}\n"
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range Parse([]byte(text), 0).Documents {
			if err := Resolve(context.Background(), d, "t/template.yaml", FSFiles{FS: fsys}); err != nil {
				b.Fatal(err)
			}
			Validate(d)
			if !d.Valid() {
				b.Fatal(d.Findings)
			}
		}
	}
}

// BenchmarkSyntaxError places a syntax error at the end of a 2,000-line
// document, the worst case of the prefix search.
func BenchmarkSyntaxError(b *testing.B) {
	var b2 strings.Builder
	b2.WriteString("kind: Component\nmetadata:\n  annotations:\n")
	for i := range 2000 {
		fmt.Fprintf(&b2, "    example.com/key-%d: value\n", i)
	}
	b2.WriteString("   e: f\n")
	text := b2.String()
	b.ReportAllocs()
	for b.Loop() {
		if d := Parse([]byte(text), 0).Documents[0]; d.Valid() {
			b.Fatal("no error")
		}
	}
}
