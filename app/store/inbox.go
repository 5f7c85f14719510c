package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
)

// InboxFileName is the inbox database's name inside the data directory.
const InboxFileName = "inbox.db"

// inboxSchema is the inbox's whole schema. The inbox holds rows only
// until they are moved into portico.db, so it has no migrations: a change
// adds columns with defaults, or a new table beside this one.
const inboxSchema = `CREATE TABLE IF NOT EXISTS inbox (
    id              TEXT      PRIMARY KEY,
    event           TEXT      NOT NULL,
    action          TEXT,
    installation_id BIGINT,
    repository      TEXT,
    payload         BLOB      NOT NULL,
    received_at     TIMESTAMP NOT NULL,
    jobs            BLOB      NOT NULL
)`

// openInbox opens the writer and reader pools on the inbox file beside
// path and creates its table.
func openInbox(ctx context.Context, path string) (write, read *sql.DB, err error) {
	file := filepath.Join(filepath.Dir(path), InboxFileName)
	if err := secureDatabase(file); err != nil {
		return nil, nil, err
	}
	write, err = sql.Open("sqlite", file+"?"+writeParams())
	if err != nil {
		return nil, nil, fmt.Errorf("open inbox: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	if _, err := write.ExecContext(ctx, inboxSchema); err != nil {
		write.Close()
		return nil, nil, fmt.Errorf("create inbox: %w", err)
	}
	read, err = sql.Open("sqlite", file+"?"+readParams())
	if err != nil {
		write.Close()
		return nil, nil, fmt.Errorf("open inbox: %w", err)
	}
	read.SetMaxOpenConns(readConns)
	read.SetMaxIdleConns(readConns)
	return write, read, nil
}

// Inbox returns the inbox database's read-write pool: one connection,
// which nothing but portico's own writers uses (River never touches this
// file), so a commit on it never waits for River.
func (db *DB) Inbox() *sql.DB { return db.inbox }

// InboxReadOnly returns a pool for reading the inbox without queueing
// behind its writer.
func (db *DB) InboxReadOnly() *sql.DB { return db.inboxRead }

func (db *DB) closeInbox() error {
	return errors.Join(db.inboxRead.Close(), db.inbox.Close())
}
