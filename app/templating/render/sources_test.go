package render

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"
)

// TestRenderSkeletonSources: every rendered file names the skeleton file
// it came from, templated names and targetPath included, and a file that
// fails to render is named with the line the engine reports.
func TestRenderSkeletonSources(t *testing.T) {
	t.Parallel()
	src := fstest.MapFS{
		"sk/catalog-info.yaml":          {Data: []byte("name: ${{ values.name }}\n")},
		"sk/${{ values.name }}/main.go": {Data: []byte("package main\n")},
		"sk/plain.txt":                  {Data: []byte("plain\n")},
	}
	out, sources, _, err := RenderSkeletonSources(context.Background(), src, "sk", map[string]any{"name": "svc"}, Options{TargetPath: "out"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"out/catalog-info.yaml": "sk/catalog-info.yaml",
		"out/svc/main.go":       "sk/${{ values.name }}/main.go",
		"out/plain.txt":         "sk/plain.txt",
	}
	if len(sources) != len(want) || len(out) != len(want) {
		t.Fatalf("sources %v, tree %v", sources, out.Paths())
	}
	for dest, s := range want {
		if sources[dest] != s {
			t.Errorf("source of %s = %q, want %q", dest, sources[dest], s)
		}
	}
}

func TestRenderSkeletonSourcesFailures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, file, text string
		path             string
		line             int
	}{
		{"unknown filter", "a.yaml", "a: 1\nb: 2\nc: ${{ values.x | nosuch }}\n", "sk/a.yaml", 3},
		{"broken block", "a.yaml", "a: 1\n{% if %}\n", "sk/a.yaml", 2},
		{"broken expression", "b/c.yaml", "x\ny\nz\n${{ values.name ++ }}\n", "sk/b/c.yaml", 4},
		{"broken name", "${{ values.x | nosuch }}.yaml", "a: 1\n", "sk/${{ values.x | nosuch }}.yaml", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			src := fstest.MapFS{"sk/ok.yaml": {Data: []byte("ok: ${{ values.x }}\n")}, "sk/" + c.file: {Data: []byte(c.text)}}
			_, _, _, err := RenderSkeletonSources(context.Background(), src, "sk", map[string]any{"x": 1}, Options{})
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FileError", err)
			}
			if fe.Path != c.path || fe.Line != c.line {
				t.Errorf("failure at %s:%d, want %s:%d (%v)", fe.Path, fe.Line, c.path, c.line, err)
			}
		})
	}
}
