package descriptor

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"
)

// FuzzResolve feeds arbitrary content to the files that placeholders
// name, and arbitrary targets: resolution never panics, never reads
// outside the repository, and every finding is located.
func FuzzResolve(f *testing.F) {
	f.Add("$yaml", "./a.yaml", []byte("k: [1, {a: b}]\n"))
	f.Add("$json", "a.json", []byte(`{"a": [1, 2, {"b": null}], "a": 1}`))
	f.Add("$text", "/a.txt", []byte("\xff\x00text"))
	f.Add("$yaml", "../../x", []byte("a: 1\n---\n"))
	f.Add("$json", "a.json", []byte(`[[[[[[[[[[[[[[[[[[[[`))
	f.Add("$yaml", "a.yaml", []byte("a: &a [*a]\n"))
	f.Add("$text", "https://example.com/x", []byte{})
	f.Fuzz(func(t *testing.T, key, target string, content []byte) {
		fsys := fstest.MapFS{"svc/" + sanitize(target): {Data: content}, "a.txt": {Data: content}}
		doc := Parse([]byte("kind: API\nspec:\n  definition: {x: 1}\n"), 0).Documents[0]
		ph := &Value{Kind: Map, Line: 3, Column: 15, Fields: []Field{{Key: key, Value: &Value{Kind: String, Str: target}}}}
		doc.Root.Get("spec").Fields[0].Value = ph
		if err := Resolve(context.Background(), doc, "svc/catalog-info.yaml", FSFiles{FS: fsys}); err != nil {
			t.Fatalf("a map of files failed: %v", err)
		}
		Validate(doc)
		checkFindings(t, doc.Findings)
		parseJSONValue(content)
		parseYAMLValue(content)
	})
}

// sanitize makes a fuzzed target a name fstest.MapFS can hold.
func sanitize(s string) string {
	if !fs.ValidPath("svc/" + s) {
		return "a.yaml"
	}
	return s
}
