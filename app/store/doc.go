// Package store owns portico's database: where it lives, how it is opened,
// and the schema of both portico's own tables and River's.
//
// The default is one SQLite file, <DataDir>/portico.db, opened through the
// pure-Go modernc.org/sqlite driver in WAL mode with synchronous=FULL, so
// that a committed transaction is on disk before the commit returns: a
// webhook answered 2xx is never lost to a crash. PostgreSQL (a database URL)
// arrives with scale-out; the schema in migrations/ is written in plain SQL
// valid for both, and each file notes where the dialects differ.
//
// Connections. SQLite admits one writer at a time. Two connections in one
// process that both write do not queue in Go: they meet SQLITE_BUSY inside
// SQLite, whose busy handler sleeps in growing steps (1, 2, 5, 10 ms ...),
// which wrecks tail latency; and River's own driver documentation asks for
// a single connection for the same reason. So SQL returns a pool of exactly
// one connection that River and every writer share (database/sql then
// queues them fairly in memory), and its transactions begin IMMEDIATE so a
// second process sharing the file waits on busy_timeout rather than failing
// on a read-to-write upgrade. ReadOnly returns a separate small pool for
// queries that must not wait behind writes (metrics, dashboards); WAL lets
// those readers run while the writer commits.
//
// A caller holding a transaction on SQL must not wait for another
// connection from SQL before it commits: with one connection, that waits
// forever.
//
// Inbox. Open also opens <DataDir>/inbox.db, with the same settings and its
// own single write connection, which River never uses: package jobs
// commits accepted webhook deliveries there, so that acceptance never
// waits for River's write lock on portico.db, and moves them into
// portico.db afterwards. Its one table is created if missing; it holds
// rows only until they are moved, so it has no migrations. Ping checks
// both files.
//
// Migrations. Open applies River's migrations (rivermigrate with the
// riversqlite driver) and then portico's own, embedded as numbered files in
// migrations/ and applied in order, each in its own transaction, recorded in
// schema_migrations. A database whose schema is newer than the binary is
// refused rather than used. Processes opening the same file take turns
// through an flock on portico.db.migrate-lock.
//
// Dialects. Besides the column types each migration notes, queries in
// portico use SQLite's ? placeholders; PostgreSQL's drivers want $1, $2.
// Everything else (ON CONFLICT, RETURNING, SAVEPOINT, partial indexes) is
// common to both.
package store
