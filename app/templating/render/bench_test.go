package render

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// BenchmarkRenderSkeleton renders the springboot-grpc-template sample (16
// files, names with expressions, an executable) held in memory, as an
// upgrade renders a template read from Git.
func BenchmarkRenderSkeleton(b *testing.B) {
	src := memFS(b, filepath.Join(templatesDir, "samples", "springboot-grpc-template"))
	values := map[string]any{
		"component_id": "greeter-service", "artifact_id": "greeter-service",
		"java_package_name": "greeter", "description": "A gRPC greeter",
		"owner": "group:default/team-a", "http_port": 8080,
		"destination": map[string]any{"host": "github.com", "owner": "acme", "repo": "greeter-service"},
	}
	opts := Options{CopyWithoutRender: []string{".github/workflows/*"}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := RenderSkeleton(ctx, src, "skeleton", values, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func memFS(b *testing.B, dir string) fstest.MapFS {
	b.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(filepath.Join(dir, p))
		out[p] = &fstest.MapFile{Data: data, Mode: info.Mode()}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}
