package jobs

import (
	"context"
	"database/sql"
	"slices"
	"strings"
)

// maxRowsPerStatement keeps multi-row statements well under SQLite's limit
// of 32,766 bound parameters (PostgreSQL's is 65,535) whatever MaxBatch is.
const maxRowsPerStatement = 500

// placeholders returns "?, ?, ..." with n marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// insertRows runs prefix + "(?, ...), (?, ...)" + suffix over rows of cols
// values each, in chunks of maxRowsPerStatement rows. If scan is set the
// statement returns rows (RETURNING), and scan reads each.
func insertRows(ctx context.Context, tx *sql.Tx, prefix string, cols int, rows [][]any, suffix string, scan func(*sql.Rows) error) error {
	row := "(" + placeholders(cols) + ")"
	for chunk := range slices.Chunk(rows, maxRowsPerStatement) {
		query := prefix + strings.TrimSuffix(strings.Repeat(row+", ", len(chunk)), ", ") + suffix
		args := slices.Concat(chunk...)
		if scan == nil {
			if _, err := tx.ExecContext(ctx, query, args...); err != nil {
				return err
			}
			continue
		}
		if err := queryRows(ctx, tx, query, args, scan); err != nil {
			return err
		}
	}
	return nil
}

func queryRows(ctx context.Context, tx *sql.Tx, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
