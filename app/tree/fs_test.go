package tree

import (
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"
)

func TestFS(t *testing.T) {
	t.Parallel()
	tr := Tree{
		"README.md":                   {Data: []byte("# hi\n")},
		"templates/svc/template.yaml": {Data: []byte("kind: Template\n")},
		"templates/svc/skeleton/run":  {Data: []byte("#!/bin/sh\n"), Mode: Executable},
		"templates/svc/skeleton/link": {Data: []byte("../template.yaml"), Mode: Symlink},
	}
	fsys := FS(tr)
	if err := fstest.TestFS(fsys, "README.md", "templates/svc/template.yaml", "templates/svc/skeleton/run", "templates/svc/skeleton/link"); err != nil {
		t.Fatal(err)
	}
	st, err := fs.Stat(fsys, "templates/svc")
	if err != nil || !st.IsDir() {
		t.Errorf("templates/svc: %v, %v; want an implied folder", st, err)
	}
	if st, _ := fs.Stat(fsys, "templates/svc/skeleton/run"); st.Mode()&0o111 == 0 {
		t.Errorf("executable mode lost: %v", st.Mode())
	}
	if st, _ := fs.Stat(fsys, "templates/svc/skeleton/link"); st.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("symlink mode lost: %v", st.Mode())
	}
	data, _ := fs.ReadFile(fsys, "README.md")
	data[0] = 'X'
	if string(tr["README.md"].Data) != "# hi\n" {
		t.Error("ReadFile handed out the tree's own bytes")
	}
	for _, bad := range []string{"../x", "/README.md", "nope", "templates/nope"} {
		if _, err := fsys.Open(bad); err == nil {
			t.Errorf("Open(%q) succeeded", bad)
		}
	}
	if _, err := fs.ReadFile(fsys, "templates"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("reading a folder: %v", err)
	}
}

func TestFSFolders(t *testing.T) {
	t.Parallel()
	fsys := FS(Tree{"a/b.txt": {Data: []byte("b")}}, "a/empty/deep", "a/b.txt", "../out", "a")
	if err := fstest.TestFS(fsys, "a/b.txt", "a/empty/deep"); err != nil {
		t.Fatal(err)
	}
	entries, err := fs.ReadDir(fsys, "a")
	if err != nil || len(entries) != 2 || entries[0].Name() != "b.txt" || entries[1].Name() != "empty" || !entries[1].IsDir() {
		t.Errorf("a/ = %v, %v; want b.txt and the empty folder once each", entries, err)
	}
	if _, err := fs.Stat(fsys, "../out"); err == nil {
		t.Error("a folder outside the root was added")
	}
}
