package store

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// databaseFiles are the files Open and a first write leave in the data
// directory, each of which must be its owner's only.
var databaseFiles = []string{
	FileName, FileName + "-wal", FileName + "-shm",
	InboxFileName, InboxFileName + "-wal", InboxFileName + "-shm",
	FileName + ".migrate-lock",
}

func TestFileModes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// before prepares the data directory; it may be missing.
		before  func(t *testing.T, dir string)
		dirMode os.FileMode
		warned  bool
	}{
		{name: "fresh data directory", before: func(*testing.T, string) {}, dirMode: 0o700},
		{name: "files from before, world-readable", before: func(t *testing.T, dir string) {
			mkdir(t, dir, 0o700)
			for _, f := range []string{FileName, FileName + "-wal", InboxFileName} {
				writeMode(t, filepath.Join(dir, f), 0o644)
			}
		}, dirMode: 0o700},
		{name: "data directory made open beforehand", before: func(t *testing.T, dir string) { mkdir(t, dir, 0o755) }, dirMode: 0o755, warned: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "data")
			c.before(t, dir)
			var logs bytes.Buffer
			db, err := Open(context.Background(), Options{DataDir: dir, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			write(t, db)
			for _, f := range databaseFiles {
				if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Mode().Perm() != 0o600 {
					t.Errorf("%s: %v, mode %v; want 0600", f, err, st.Mode().Perm())
				}
			}
			if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != c.dirMode {
				t.Errorf("data directory: %v, mode %v; want %v", err, st.Mode().Perm(), c.dirMode)
			}
			if got := strings.Contains(logs.String(), "chmod 700"); got != c.warned {
				t.Errorf("warned about the directory: %v, want %v\n%s", got, c.warned, logs.String())
			}
		})
	}
}

// write commits to both databases, so that each has its -wal and -shm.
func write(t *testing.T, db *DB) {
	t.Helper()
	if _, err := db.SQL().Exec(`CREATE TABLE IF NOT EXISTS modes_test (a)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Inbox().Exec(`DELETE FROM inbox WHERE id = 'none'`); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, dir string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(dir, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

func writeMode(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, nil, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}
