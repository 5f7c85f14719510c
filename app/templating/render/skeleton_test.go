package render

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/portico-dev/portico/app/tree"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s), Mode: 0o644} }

func renderMap(t *testing.T, files fstest.MapFS, values map[string]any, opts Options) (tree.Tree, []Finding, error) {
	t.Helper()
	return RenderSkeleton(context.Background(), files, "skeleton", values, opts)
}

func TestRenderSkeletonNamesAndContents(t *testing.T) {
	t.Parallel()
	src := fstest.MapFS{
		"skeleton/${{ values.name }}/main.go":                   file("package ${{ values.name }}\n"),
		"skeleton/run.sh":                                       {Data: []byte("#!/bin/sh\necho ${{ values.name }}\n"), Mode: 0o755},
		"skeleton/{% if values.docs %}docs{% endif %}/index.md": file("docs\n"),
		"skeleton/${{ values.none }}":                           file("empty name\n"),
		"skeleton/data.bin":                                     file("\x00${{ values.name }}"),
		"skeleton/link":                                         {Data: []byte("run.sh"), Mode: fs.ModeSymlink | 0o777},
		"skeleton/secret.txt":                                   file("${{ values.secret }}\n"),
		"outside.txt":                                           file("not part of the skeleton"),
	}
	got, findings, err := renderMap(t, src, map[string]any{"name": "svc", "docs": false, "secret": "${{ values.name }}"}, Options{TargetPath: "apps/x"})
	if err != nil {
		t.Fatal(err)
	}
	want := tree.Tree{
		"apps/x/svc/main.go": {Data: []byte("package svc\n")},
		"apps/x/run.sh":      {Data: []byte("#!/bin/sh\necho svc\n"), Mode: tree.Executable},
		"apps/x/data.bin":    {Data: []byte("\x00${{ values.name }}")},
		"apps/x/link":        {Data: []byte("run.sh"), Mode: tree.Symlink},
		"apps/x/secret.txt":  {Data: []byte("${{ values.name }}\n")},
	}
	if !got.Equal(want) {
		t.Errorf("got %v\nwant %v", describe(got), describe(want))
	}
	if len(findings) != 2 {
		t.Errorf("findings %v, want the two empty names", findings)
	}
}

func describe(t tree.Tree) string {
	var b strings.Builder
	for _, p := range t.Paths() {
		b.WriteString(p + " (" + t[p].Mode.String() + "): " + string(t[p].Data) + "\n")
	}
	return b.String()
}

func TestRenderSkeletonCopyOptions(t *testing.T) {
	t.Parallel()
	src := fstest.MapFS{
		"skeleton/static/${{ values.name }}.txt": file("${{ values.name }}"),
		"skeleton/.github/workflows/ci.yml":      file("run: ${{ github.sha }}"),
		"skeleton/README.md":                     file("${{ values.name }}"),
	}
	values := map[string]any{"name": "svc"}
	t.Run("copyWithoutTemplating renders names only", func(t *testing.T) {
		got, _, err := renderMap(t, src, values, Options{CopyWithoutTemplating: []string{"static/**", ".github/workflows/*"}})
		if err != nil {
			t.Fatal(err)
		}
		assertFile(t, got, "static/svc.txt", "${{ values.name }}")
		assertFile(t, got, ".github/workflows/ci.yml", "run: ${{ github.sha }}")
		assertFile(t, got, "README.md", "svc")
	})
	t.Run("copyWithoutRender renders neither", func(t *testing.T) {
		got, _, err := renderMap(t, src, values, Options{CopyWithoutRender: []string{"static/*"}})
		if err != nil {
			t.Fatal(err)
		}
		assertFile(t, got, "static/${{ values.name }}.txt", "${{ values.name }}")
		assertFile(t, got, "README.md", "svc")
	})
	t.Run("templateFileExtension renders and strips only its files", func(t *testing.T) {
		src := fstest.MapFS{
			"skeleton/a.md.tmpl":              file("${{ values.name }}"),
			"skeleton/${{ values.name }}.txt": file("${{ values.name }}"),
		}
		got, _, err := renderMap(t, src, values, Options{TemplateFileExtension: ".tmpl"})
		if err != nil {
			t.Fatal(err)
		}
		assertFile(t, got, "a.md", "svc")
		assertFile(t, got, "svc.txt", "${{ values.name }}")
	})
}

func assertFile(t *testing.T, got tree.Tree, p, want string) {
	t.Helper()
	f, ok := got[p]
	if !ok {
		t.Fatalf("%s missing from %v", p, got.Paths())
	}
	if string(f.Data) != want {
		t.Errorf("%s = %q, want %q", p, f.Data, want)
	}
}

func TestRenderSkeletonCookiecutter(t *testing.T) {
	t.Parallel()
	src := fstest.MapFS{
		"skeleton/{{ cookiecutter.name }}.json": file(`{"name": {{ cookiecutter.name | jsonify }}, "keep": "${{ x }}"}`),
	}
	got, _, err := renderMap(t, src, map[string]any{"name": "svc"}, Options{Syntax: Syntax{CookiecutterCompat: true}})
	if err != nil {
		t.Fatal(err)
	}
	assertFile(t, got, "svc.json", `{"name": "svc", "keep": "$"}`)
	src = fstest.MapFS{"skeleton/a": file("{{ 'github.com?owner=o&repo=r' | parseRepoUrl }}")}
	if _, _, err := renderMap(t, src, nil, Options{Syntax: Syntax{CookiecutterCompat: true}}); err == nil {
		t.Error("parseRepoUrl rendered under cookiecutterCompat; Backstage's compat environment has no such filter")
	}
}

func TestRenderSkeletonRefuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		src  fstest.MapFS
		vals map[string]any
		opts Options
		want string
	}{
		{"targetPath above the root", fstest.MapFS{"skeleton/a": file("a")}, nil, Options{TargetPath: "../x"}, "outside the output root"},
		{"absolute targetPath", fstest.MapFS{"skeleton/a": file("a")}, nil, Options{TargetPath: "/etc"}, "not a relative path"},
		{"a name rendered above the root", fstest.MapFS{"skeleton/${{ values.up }}/x": file("a")}, map[string]any{"up": "../.."}, Options{}, "outside the output root"},
		{"a link out of the skeleton", fstest.MapFS{"skeleton/l": {Data: []byte("../../etc/passwd"), Mode: fs.ModeSymlink}}, nil, Options{}, "leads outside"},
		{"both copy options", fstest.MapFS{}, nil, Options{CopyWithoutRender: []string{"a"}, CopyWithoutTemplating: []string{"b"}}, "can not be used at the same time"},
		{"extension with cookiecutter", fstest.MapFS{}, nil, Options{TemplateFileExtension: ".njk", Syntax: Syntax{CookiecutterCompat: true}}, "incompatible"},
		{"a broken template names its file and line", fstest.MapFS{"skeleton/docs/a.md": file("ok\n${{ values.x | nosuchfilter }}\n")}, nil, Options{}, "docs/a.md"},
		{"a syntax error names its line", fstest.MapFS{"skeleton/b.md": file("one\ntwo\n{% if %}\n")}, nil, Options{}, "b.md: line 3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := renderMap(t, c.src, c.vals, c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestRenderSkeletonErrorLine(t *testing.T) {
	t.Parallel()
	src := fstest.MapFS{"skeleton/docs/a.md": file("ok\n${{ values.x | nosuchfilter }}\n")}
	_, _, err := renderMap(t, src, nil, Options{})
	if err == nil || !strings.Contains(err.Error(), "docs/a.md") || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("err = %v, want the file and line 2", err)
	}
}

func TestRenderSkeletonOutputCap(t *testing.T) {
	t.Parallel()
	src := fstest.MapFS{"skeleton/big": file("{% for i in range(100000) %}0123456789{% endfor %}")}
	_, _, err := renderMap(t, src, nil, Options{MaxOutputBytes: 64 << 10})
	if !errors.Is(err, ErrOutputTooLarge) {
		t.Fatalf("err = %v, want ErrOutputTooLarge", err)
	}
	src = fstest.MapFS{"skeleton/a": file(strings.Repeat("x", 600)), "skeleton/b": file(strings.Repeat("y", 600))}
	if _, _, err := renderMap(t, src, nil, Options{MaxOutputBytes: 1000}); !errors.Is(err, ErrOutputTooLarge) {
		t.Fatalf("err = %v: the cap is for the whole tree", err)
	}
	src = fstest.MapFS{"skeleton/r": file("{% for i in range(10000000) %}{% endfor %}")}
	if _, _, err := renderMap(t, src, nil, Options{}); err == nil || !strings.Contains(err.Error(), "range") {
		t.Fatalf("err = %v, want range's bound", err)
	}
}

func TestRenderSkeletonCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := RenderSkeleton(ctx, fstest.MapFS{"skeleton/a": file("a")}, "skeleton", nil, Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestRenderSkeletonDuplicateOutput(t *testing.T) {
	t.Parallel()
	src := fstest.MapFS{
		"skeleton/${{ values.a }}.txt": file("first"),
		"skeleton/${{ values.b }}.txt": file("second"),
	}
	got, findings, err := renderMap(t, src, map[string]any{"a": "x", "b": "x"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	assertFile(t, got, "x.txt", "first")
	if len(findings) != 1 || !strings.Contains(findings[0].Message, "already written") {
		t.Errorf("findings %v", findings)
	}
}

func TestOptionsFromInput(t *testing.T) {
	t.Parallel()
	o, values, err := OptionsFromInput(map[string]any{
		"url": "./skeleton", "targetPath": "svc", "templateFileExtension": true,
		"values": map[string]any{"name": "x"}, "trimBlocks": true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if o.TemplateFileExtension != ".njk" || o.TargetPath != "svc" || !o.TrimBlocks || values["name"] != "x" {
		t.Errorf("options %+v values %v", o, values)
	}
	if o, _, _ := OptionsFromInput(map[string]any{"templateFileExtension": "tmpl"}); o.TemplateFileExtension != ".tmpl" {
		t.Errorf("extension %q, want .tmpl", o.TemplateFileExtension)
	}
	if _, _, err := OptionsFromInput(map[string]any{"copyWithoutRender": "a"}); err == nil {
		t.Error("copyWithoutRender as a string accepted; Backstage requires an array")
	}
}

// Compiled templates are cached and shared: renders running at once must
// neither race nor see each other's values.
func TestRenderSkeletonConcurrent(t *testing.T) {
	t.Parallel()
	src := fstest.MapFS{
		"skeleton/${{ values.name }}.md": file("{% for i in range(3) %}${{ values.name }}-${{ loop.index }} {% endfor %}{% set x = values.name %}${{ x }}"),
	}
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			name := strings.Repeat("n", i+1)
			got, _, err := renderMap(t, src, map[string]any{"name": name}, Options{})
			if err == nil && string(got[name+".md"].Data) != name+"-1 "+name+"-2 "+name+"-3 "+name {
				err = errors.New("got " + string(got[name+".md"].Data))
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
