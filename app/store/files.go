package store

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
)

// fileMode is every database file's mode: they hold webhook payloads and
// job arguments, which are nobody else's to read.
const fileMode = 0o600

// sqliteSuffixes are the files SQLite keeps beside a database in WAL mode.
var sqliteSuffixes = []string{"", "-wal", "-shm"}

// secureDatabase makes path's database files owner-only before SQLite
// opens them. SQLite creates -wal and -shm with the database file's
// permissions, so a database created 0600 keeps all three 0600; files from
// before this rule, or made by hand, are tightened.
func secureDatabase(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, fileMode)
	if err != nil {
		return fmt.Errorf("create database file: %w", err)
	}
	f.Close()
	for _, suffix := range sqliteSuffixes {
		err := os.Chmod(path+suffix, fileMode)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restrict database file: %w", err)
		}
	}
	return nil
}

// warnOpenDir warns when others may enter the data directory: created
// here it is 0700, but one made beforehand may be wider, and changing a
// directory portico did not make is its owner's call.
func warnOpenDir(dir string, log *slog.Logger) {
	st, err := os.Stat(dir)
	if err != nil || st.Mode().Perm()&0o077 == 0 {
		return
	}
	log.Warn("the data directory is open to other users; its files are 0600, but restrict it with chmod 700",
		"data_dir", dir, "mode", st.Mode().Perm().String())
}
