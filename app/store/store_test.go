package store

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// quiet drops River's migration log.
var quiet = slog.New(slog.DiscardHandler)

func openTest(t *testing.T, dir string) *DB {
	t.Helper()
	db, err := Open(context.Background(), Options{DataDir: dir, Logger: quiet})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := openTest(t, dir)
	if got, want := db.Path(), filepath.Join(dir, FileName); got != want {
		t.Errorf("Path() = %q, want %q", got, want)
	}
	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL
		{"foreign_keys", "1"},
		{"busy_timeout", "10000"},
	}
	for _, tt := range tests {
		for name, pool := range map[string]*sql.DB{"portico.db": db.SQL(), "inbox.db": db.Inbox()} {
			var got string
			if err := pool.QueryRow("PRAGMA " + tt.pragma).Scan(&got); err != nil {
				t.Fatalf("%s: PRAGMA %s: %v", name, tt.pragma, err)
			}
			if got != tt.want {
				t.Errorf("%s: PRAGMA %s = %q, want %q", name, tt.pragma, got, tt.want)
			}
		}
	}
	if err := db.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func TestOpenCreatesSchema(t *testing.T) {
	t.Parallel()
	db := openTest(t, t.TempDir())
	for _, table := range []string{"deliveries", "delivery_jobs", "job_keys", "schema_migrations", "river_job", "river_leader", "river_migration"} {
		var n int
		err := db.ReadOnly().QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&n)
		if err != nil || n != 1 {
			t.Errorf("table %s: count %d, err %v", table, n, err)
		}
	}
	var versions int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	migrations, err := loadMigrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	if versions != len(migrations) {
		t.Errorf("schema_migrations has %d rows, want %d", versions, len(migrations))
	}
}

func TestReopenIsIdempotent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := openTest(t, dir)
	if _, err := db.SQL().Exec(`INSERT INTO job_keys (key, job_id, lease_until) VALUES ('k', 1, 2)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	again := openTest(t, dir)
	var n int
	if err := again.SQL().QueryRow(`SELECT COUNT(*) FROM job_keys`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("after reopen: %d rows, err %v", n, err)
	}
}

func TestConcurrentOpen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			db, err := Open(context.Background(), Options{DataDir: dir, Logger: quiet})
			if err == nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"postgres", Options{DatabaseURL: "postgres://u:secret@db/portico"}, "PostgreSQL lands with scale-out"},
		{"postgresql", Options{DatabaseURL: "postgresql://db/portico"}, "PostgreSQL lands with scale-out"},
		{"mysql", Options{DatabaseURL: "mysql://db/portico"}, `unsupported database URL scheme "mysql"`},
		{"unparsable", Options{DatabaseURL: "postgres://u:secret@db:port/x"}, "does not parse"},
		{"no data dir", Options{}, "no data directory"},
		{"question mark", Options{DataDir: "/tmp/a?b"}, "contains '?'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Open(context.Background(), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open: %v, want error containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error leaks the password: %v", err)
			}
		})
	}
	_, err := Open(context.Background(), Options{DatabaseURL: "postgres://db/x"})
	if !errors.Is(err, ErrPostgresNotYet) {
		t.Errorf("postgres URL: %v is not ErrPostgresNotYet", err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := openTest(t, dir)
	if _, err := db.SQL().Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '2030-01-01 00:00:00+00:00')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := Open(context.Background(), Options{DataDir: dir, Logger: quiet})
	if err == nil || !strings.Contains(err.Error(), "newer than this binary") {
		t.Fatalf("Open: %v, want a newer-schema error", err)
	}
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	t.Parallel()
	db := openTest(t, t.TempDir())
	if _, err := db.ReadOnly().Exec(`INSERT INTO job_keys (key, job_id, lease_until) VALUES ('k', 1, 2)`); err == nil {
		t.Fatal("write through ReadOnly succeeded")
	}
	if _, err := db.InboxReadOnly().Exec(`DELETE FROM inbox`); err == nil {
		t.Fatal("write through InboxReadOnly succeeded")
	}
}

// TestInboxSurvivesReopen: the inbox is its own file beside portico.db,
// and what it holds is still there after a reopen.
func TestInboxSurvivesReopen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := openTest(t, dir)
	if _, err := db.Inbox().Exec(`INSERT INTO inbox (id, event, payload, received_at, jobs) VALUES ('d', 'push', x'', '2026-01-01 00:00:00+00:00', '[]')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	again := openTest(t, dir)
	var n int
	if err := again.InboxReadOnly().QueryRow(`SELECT COUNT(*) FROM inbox`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("inbox after reopen: %d rows, %v", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, InboxFileName)); err != nil {
		t.Error(err)
	}
}

func TestLoadMigrations(t *testing.T) {
	t.Parallel()
	sql := &fstest.MapFile{Data: []byte("SELECT 1;")}
	tests := []struct {
		name    string
		files   fstest.MapFS
		want    []int
		wantErr string
	}{
		{"ordered", fstest.MapFS{"migrations/002_b.sql": sql, "migrations/001_a.sql": sql}, []int{1, 2}, ""},
		{"gap", fstest.MapFS{"migrations/001_a.sql": sql, "migrations/003_c.sql": sql}, nil, "want version 2"},
		{"repeat", fstest.MapFS{"migrations/001_a.sql": sql, "migrations/001_b.sql": sql}, nil, "want version 2"},
		{"bad name", fstest.MapFS{"migrations/first.sql": sql}, nil, "NNN_description.sql"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := loadMigrations(tt.files)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var versions []int
			for _, m := range got {
				versions = append(versions, m.version)
			}
			if len(versions) != len(tt.want) || versions[0] != tt.want[0] || versions[1] != tt.want[1] {
				t.Errorf("versions = %v, want %v", versions, tt.want)
			}
		})
	}
}
