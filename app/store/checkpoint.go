package store

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"time"
)

// checkpointEvery is how often the checkpointer copies committed WAL frames
// into the database file. A pass with nothing to copy costs microseconds.
const checkpointEvery = 100 * time.Millisecond

// checkpointer moves WAL checkpoints off the commit path: on its own
// connection, PASSIVE checkpoints run beside the writer (they take a
// different lock) instead of inside whichever commit crosses SQLite's
// threshold.
type checkpointer struct {
	db     *sql.DB
	logger *slog.Logger
	quit   chan struct{}
	done   chan struct{}
	once   sync.Once
}

func startCheckpointer(db *sql.DB, logger *slog.Logger) *checkpointer {
	c := &checkpointer{db: db, logger: logger, quit: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

func (c *checkpointer) run() {
	defer close(c.done)
	ticker := time.NewTicker(checkpointEvery)
	defer ticker.Stop()
	failing := false
	for {
		select {
		case <-c.quit:
			return
		case <-ticker.C:
		}
		err := c.checkpoint()
		if err != nil && !failing {
			c.logger.Warn("store: WAL checkpoint failed; commits will checkpoint instead", "error", err)
		}
		failing = err != nil
	}
}

func (c *checkpointer) checkpoint() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var busy, logFrames, checkpointed int
	return c.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logFrames, &checkpointed)
}

// stop ends the loop and closes its connection, whose close runs a final
// checkpoint.
func (c *checkpointer) stop() error {
	c.once.Do(func() { close(c.quit) })
	<-c.done
	return c.db.Close()
}
