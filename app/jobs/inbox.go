package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/store"
)

// insertInbox stores one accepted delivery, or nothing if its id is
// already there.
const insertInbox = `INSERT INTO inbox
    (id, event, action, installation_id, repository, payload, received_at, jobs)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`

// selectStored returns which of a JSON array of delivery ids portico.db
// holds.
const selectStored = `SELECT id FROM deliveries WHERE id IN (SELECT value FROM json_each(?))`

// acceptStmts are the inbox writer's statements, prepared once: every
// acceptance commit runs them, and SQLite parsing a statement anew costs
// about what running it does.
type acceptStmts struct {
	insert *sql.Stmt // insertInbox, on the inbox
	stored *sql.Stmt // selectStored, on portico.db's read-only pool
}

func prepareAccept(ctx context.Context, db *store.DB) (*acceptStmts, error) {
	insert, err := db.Inbox().PrepareContext(ctx, insertInbox)
	if err != nil {
		return nil, fmt.Errorf("prepare inbox insert: %w", err)
	}
	stored, err := db.ReadOnly().PrepareContext(ctx, selectStored)
	if err != nil {
		insert.Close()
		return nil, fmt.Errorf("prepare delivery lookup: %w", err)
	}
	return &acceptStmts{insert: insert, stored: stored}, nil
}

func (s *acceptStmts) close() {
	s.insert.Close()
	s.stored.Close()
}

// storedJob is one job as the inbox keeps it until dispatch: its kind and
// its args as River would encode them. Dispatch decodes the args into the
// kind's own type (see decodeArgs), so River inserts exactly what Record
// was given, InsertOpts and unique-by-args fields included.
type storedJob struct {
	Kind string          `json:"kind"`
	Args json.RawMessage `json:"args"`
}

// decoder turns stored args back into the kind's JobArgs.
type decoder func(raw []byte) (river.JobArgs, error)

func decodeArgs[T river.JobArgs](raw []byte) (river.JobArgs, error) {
	var args T
	if err := json.Unmarshal(raw, &args); err != nil {
		return nil, err
	}
	return args, nil
}

// encodeJobs checks that every kind has a worker, which River would
// otherwise refuse only at dispatch, after Record has answered, and encodes
// the jobs for the inbox.
func (q *Queue) encodeJobs(jobs []river.JobArgs) ([]byte, error) {
	stored := make([]storedJob, len(jobs))
	for i, args := range jobs {
		kind := args.Kind()
		if _, ok := q.decoders.Load(kind); !ok {
			return nil, fmt.Errorf("job kind %q has no worker (Handle it before recording)", kind)
		}
		raw, err := json.Marshal(args)
		if err != nil {
			return nil, fmt.Errorf("encode %s args: %w", kind, err)
		}
		stored[i] = storedJob{Kind: kind, Args: raw}
	}
	return json.Marshal(stored)
}

// decodeJobs turns an inbox row's jobs back into River insert params.
func (q *Queue) decodeJobs(raw []byte) ([]river.InsertManyParams, error) {
	var stored []storedJob
	if err := json.Unmarshal(raw, &stored); err != nil {
		return nil, fmt.Errorf("decode jobs: %w", err)
	}
	params := make([]river.InsertManyParams, len(stored))
	for i, s := range stored {
		dec, ok := q.decoders.Load(s.Kind)
		if !ok {
			return nil, fmt.Errorf("job kind %q has no worker", s.Kind)
		}
		args, err := dec.(decoder)(s.Args)
		if err != nil {
			return nil, fmt.Errorf("decode %s args: %w", s.Kind, err)
		}
		params[i] = river.InsertManyParams{Args: args}
	}
	return params, nil
}

// acceptAll is the inbox writer's batch: it puts the batch's deliveries in
// the inbox, marking as duplicates those whose id is already there, repeated
// within the batch, or already in portico.db (dispatched earlier). The
// last check reads portico.db's committed state without its write lock. A
// delivery dispatched and removed from the inbox between that read and
// this insert is accepted again, not reported duplicate; dispatch then
// finds it stored and inserts nothing, so it still has no second effect.
func (q *Queue) acceptAll(ctx context.Context, tx *sql.Tx, ops []*op) error {
	stored, err := q.storedIDs(ctx, ops)
	if err != nil {
		return err
	}
	insert := tx.StmtContext(ctx, q.accept.insert)
	seen := make(map[string]bool, len(ops))
	for _, o := range ops {
		id := o.rec.d.ID
		o.rec.duplicate = seen[id] || stored[id]
		seen[id] = true
		if o.rec.duplicate {
			continue
		}
		res, err := insert.ExecContext(ctx, inboxRow(o.rec)...)
		if err != nil {
			return fmt.Errorf("insert into inbox: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("insert into inbox: %w", err)
		}
		o.rec.duplicate = n == 0
	}
	return nil
}

// storedIDs returns which of ops' ids portico.db already holds.
func (q *Queue) storedIDs(ctx context.Context, ops []*op) (map[string]bool, error) {
	ids := make([]string, len(ops))
	for i, o := range ops {
		ids[i] = o.rec.d.ID
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("look up deliveries: %w", err)
	}
	rows, err := q.accept.stored.QueryContext(ctx, string(list))
	if err != nil {
		return nil, fmt.Errorf("look up deliveries: %w", err)
	}
	defer rows.Close()
	stored := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("look up deliveries: %w", err)
		}
		stored[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("look up deliveries: %w", err)
	}
	return stored, nil
}

func inboxRow(r *recording) []any {
	d := r.d
	return []any{d.ID, d.Event, nullString(d.Action), nullInt(d.InstallationID), nullString(d.Repository),
		r.payload, d.ReceivedAt, r.jobs}
}
