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

// walAutocheckpointPages is the WAL size (in 4 KiB pages) at which a
// committing writer checkpoints by itself. The checkpointer goroutine keeps
// the WAL far below it; it is a safety net should that goroutine fall
// behind. SQLite's default, 1,000 pages, would put a checkpoint (copying
// 4 MB into the database and fsyncing it) inside a webhook's commit every
// few hundred deliveries: that is what set the tail latency before.
const walAutocheckpointPages = 16384

// walSizeLimit truncates the WAL file after a checkpoint if a burst has
// grown it past this many bytes.
const walSizeLimit = 64 << 20

// ErrPostgresNotYet is returned for a PostgreSQL database URL.
var ErrPostgresNotYet = errors.New("PostgreSQL lands with scale-out; leave the database URL empty to use SQLite in the data directory")

// Options say where the database is.
type Options struct {
	// DataDir holds portico.db when DatabaseURL is empty. It is created
	// (mode 0700) if missing.
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
	ckpt   *checkpointer
	driver riverdriver.Driver[*sql.Tx]
	path   string
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
	db, err := openSQLite(path, logger)
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx, logger); err != nil {
		db.Close()
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

// openSQLite opens the writer and reader pools and the checkpointer on
// path. sql.Open connects lazily, so nothing here touches the file yet.
func openSQLite(path string, logger *slog.Logger) (*DB, error) {
	write, err := sql.Open("sqlite", path+"?"+writeParams())
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	singleConn(write)
	read, err := sql.Open("sqlite", path+"?"+readParams())
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	read.SetMaxOpenConns(readConns)
	read.SetMaxIdleConns(readConns)
	ckpt, err := sql.Open("sqlite", path+"?"+commonParams().Encode())
	if err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	singleConn(ckpt)
	return &DB{write: write, read: read, ckpt: startCheckpointer(ckpt, logger), driver: riversqlite.New(write), path: path}, nil
}

func singleConn(db *sql.DB) {
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
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
	v.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", walAutocheckpointPages))
	v.Add("_pragma", fmt.Sprintf("journal_size_limit(%d)", walSizeLimit))
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

// Ping checks that the database answers, through the writer's connection:
// a writer wedged behind a stuck transaction fails it, as it should.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// Close stops the checkpointer and closes the pools. Whatever uses SQL
// (River) must be stopped first.
func (db *DB) Close() error {
	return errors.Join(db.ckpt.stop(), db.read.Close(), db.write.Close())
}
