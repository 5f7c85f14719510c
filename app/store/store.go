package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	// The pure-Go SQLite driver, registered as "sqlite": no cgo.
	_ "modernc.org/sqlite"
)

// FileName is the SQLite database's name inside the data directory.
const FileName = "portico.db"

// BusyTimeout is how long, in milliseconds, a connection waits for another
// process's write lock before giving up with SQLITE_BUSY.
const BusyTimeout = 10000

// readConns bounds the read-only pool: readers are short queries, and a
// two-core machine gains nothing from more.
const readConns = 4

// ErrPostgresNotYet is returned for a PostgreSQL database URL.
var ErrPostgresNotYet = errors.New("PostgreSQL lands with scale-out; leave the database URL empty to use SQLite in the data directory")

// Options say where the database is.
type Options struct {
	// DataDir holds portico.db when DatabaseURL is empty. It is created
	// (mode 0700) if missing; the database files in it are 0600.
	DataDir string
	// DatabaseURL selects an external database. Empty means SQLite in
	// DataDir; postgres:// URLs are refused until scale-out.
	DatabaseURL string
	// Logger receives River's migration log. Nil means slog.Default().
	Logger *slog.Logger
}

// DB is an open, migrated database.
type DB struct {
	write  *sql.DB
	read   *sql.DB
	driver riverdriver.Driver[*sql.Tx]
	path   string

	inbox     *sql.DB
	inboxRead *sql.DB
}

// Open opens the database that opts describe and brings its schema, River's
// and portico's, up to date.
func Open(ctx context.Context, opts Options) (*DB, error) {
	path, err := sqlitePath(opts)
	if err != nil {
		return nil, err
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	warnOpenDir(opts.DataDir, logger)
	if err := secureDatabase(path); err != nil {
		return nil, err
	}
	db, err := openSQLite(path)
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx, logger); err != nil {
		db.closeMain()
		return nil, err
	}
	if db.inbox, db.inboxRead, err = openInbox(ctx, path); err != nil {
		db.closeMain()
		return nil, err
	}
	return db, nil
}

// sqlitePath validates opts and returns the SQLite file to open.
func sqlitePath(opts Options) (string, error) {
	if opts.DatabaseURL != "" {
		return "", databaseURLError(opts.DatabaseURL)
	}
	if opts.DataDir == "" {
		return "", errors.New("open database: no data directory")
	}
	// The driver splits its DSN at the first '?', so such a path would
	// open the wrong file.
	if strings.ContainsRune(opts.DataDir, '?') {
		return "", fmt.Errorf("open database: data directory %q contains '?'", opts.DataDir)
	}
	if err := os.MkdirAll(opts.DataDir, 0o700); err != nil {
		return "", fmt.Errorf("create data directory: %w", err)
	}
	return filepath.Join(opts.DataDir, FileName), nil
}

func databaseURLError(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		// The parse error would echo the URL, password included.
		return errors.New("open database: the database URL does not parse")
	}
	switch u.Scheme {
	case "postgres", "postgresql":
		return fmt.Errorf("open database: %w", ErrPostgresNotYet)
	}
	return fmt.Errorf("open database: unsupported database URL scheme %q", u.Scheme)
}

// openSQLite opens the writer and reader pools on path.
func openSQLite(path string) (*DB, error) {
	write, err := sql.Open("sqlite", path+"?"+writeParams())
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)

	read, err := sql.Open("sqlite", path+"?"+readParams())
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	read.SetMaxOpenConns(readConns)
	read.SetMaxIdleConns(readConns)
	return &DB{write: write, read: read, driver: riversqlite.New(write), path: path}, nil
}

// commonParams apply to every connection. _time_format=sqlite writes
// time.Time as "2006-01-02 15:04:05.999999999-07:00", which SQLite's date
// functions read and which, in UTC, sorts as text in time order.
func commonParams() url.Values {
	v := url.Values{}
	v.Set("_busy_timeout", fmt.Sprint(BusyTimeout))
	v.Set("_foreign_keys", "1")
	v.Set("_time_format", "sqlite")
	return v
}

// writeParams: WAL so readers never block the writer; synchronous=FULL so
// every commit is fsynced before it returns (NORMAL would let a power cut
// drop the last commits, which here are answered webhooks); IMMEDIATE
// transactions so that a second process waits for the lock at BEGIN instead
// of failing when a read turns into a write.
func writeParams() string {
	v := commonParams()
	v.Set("_journal_mode", "WAL")
	v.Set("_synchronous", "FULL")
	v.Set("_txlock", "immediate")
	return v.Encode()
}

func readParams() string {
	v := commonParams()
	v.Set("_query_only", "1")
	return v.Encode()
}

// SQL returns the read-write pool: one connection, shared with River. See
// the package documentation before holding a transaction on it.
func (db *DB) SQL() *sql.DB { return db.write }

// ReadOnly returns a pool for queries that must not queue behind writes.
// It refuses to change the database.
func (db *DB) ReadOnly() *sql.DB { return db.read }

// RiverDriver returns the River driver bound to SQL, so that the choice of
// driver follows the choice of database in one place.
func (db *DB) RiverDriver() riverdriver.Driver[*sql.Tx] { return db.driver }

// Path returns the SQLite file's path.
func (db *DB) Path() string { return db.path }

// Ping checks that both databases answer, through their writers'
// connections: a writer wedged behind a stuck transaction fails it, as it
// should.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	if err := db.inbox.PingContext(ctx); err != nil {
		return fmt.Errorf("ping inbox: %w", err)
	}
	return nil
}

// Close closes every pool. Whatever uses them (River, the queue) must be
// stopped first.
func (db *DB) Close() error {
	return errors.Join(db.closeInbox(), db.closeMain())
}

func (db *DB) closeMain() error {
	return errors.Join(db.read.Close(), db.write.Close())
}
