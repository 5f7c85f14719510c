package validate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestWalk(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"b/catalog-info.yaml":              "x",
		"a/catalog-info.yml":               "x",
		"a/node_modules/catalog-info.yaml": "x",
		"a/extra.entity.yaml":              "x",
		"a/README.md":                      "x",
	})
	var got []string
	err := Walk(context.Background(), []string{dir, filepath.Join(dir, "missing")}, []string{"*.entity.yaml"},
		func(p string, walkErr error) error {
			rel, _ := filepath.Rel(dir, p)
			if walkErr != nil {
				rel += " !"
			}
			got = append(got, filepath.ToSlash(rel))
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a/catalog-info.yml", "a/extra.entity.yaml", "b/catalog-info.yaml", "missing !"}
	if !slices.Equal(got, want) {
		t.Errorf("walk %q, want %q", got, want)
	}
	stop := errors.New("stop")
	n := 0
	if err := Walk(context.Background(), []string{dir}, nil, func(string, error) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("Walk returned %v after %d calls, want stop after 1", err, n)
	}
}

func TestReadFile(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "catalog-info.yaml")
	if err := os.WriteFile(p, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadFile(p, nil, 0); err != nil || string(data) != "0123456789" {
		t.Errorf("ReadFile = %q, %v", data, err)
	}
	if _, err := ReadFile(p, nil, 4); err == nil || !strings.Contains(err.Error(), "over the limit") {
		t.Errorf("ReadFile over the cap: %v", err)
	}
	if data, err := ReadFile(StdinPath, strings.NewReader("in"), 0); err != nil || string(data) != "in" {
		t.Errorf("ReadFile(-) = %q, %v", data, err)
	}
}
