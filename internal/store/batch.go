package store

import (
	"context"
	"strings"
)

// rowBatch collects rows for one multi-row INSERT.
type rowBatch struct {
	table string
	cols  []string
	args  []any
}

func (b *rowBatch) add(vals ...any) { b.args = append(b.args, vals...) }

// batchParams bounds the parameters of one statement, well below
// SQLite's 32,766 and PostgreSQL's 65,535.
const batchParams = 4000

// insertBatch writes the batch's rows in as few statements as the
// parameter limit allows, and empties it.
func (tx *Tx) insertBatch(ctx context.Context, b *rowBatch) error {
	n := len(b.cols)
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
	perStmt := batchParams / n * n
	for len(b.args) > 0 {
		chunk := b.args[:min(perStmt, len(b.args))]
		b.args = b.args[len(chunk):]
		q := "INSERT INTO " + b.table + " (" + strings.Join(b.cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", len(chunk)/n), ", ")
		if _, err := tx.exec(ctx, q, chunk...); err != nil {
			return err
		}
	}
	return nil
}
